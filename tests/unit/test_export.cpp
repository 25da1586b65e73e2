// daf-export's module against the FusionHead it was made from: every fusion variant
// and task, saved and loaded back with plain LibTorch (torch::jit::load), on raw
// features (the module normalises them) with some modalities missing.
#include <torch/script.h>
#include <torch/torch.h>

#include "catch.h"
#include <map>
#include <sstream>

#include "daf/config/config.h"
#include "daf/export/head_export.h"
#include "daf/model/feature_stats.h"
#include "daf/model/model_io.h"
#include "export/head_module.h"

namespace {

daf::LoadedModel random_model(const std::string& fusion, const std::string& gate, const std::string& task,
                              const std::vector<std::string>& modalities, const std::vector<int64_t>& dims) {
  daf::LoadedModel loaded;
  loaded.metadata.config = daf::load_config("", {"data.cache=x"});
  auto& c = loaded.metadata.config;
  c.data.modalities = modalities;
  c.model.fusion = fusion;
  c.model.gate = gate;
  c.model.task = task == "multilabel1" ? "multilabel" : task;
  if (task == "multiclass") c.data.classes = {"neutral", "happy", "sad"};
  if (task == "multilabel") c.data.targets = {"happiness", "fear"};
  if (task == "multilabel1") c.data.targets = {"fear"};  // one logit: FusionHead squeezes it, the export does not
  c.model.dim = 8;
  c.model.gate_hidden = 4;
  c.model.head_hidden = 8;
  c.model.temperature = 0.7;
  c.model.activation = fusion == "static" ? "gelu" : "relu";
  loaded.metadata.input_dims = dims;
  for (size_t m = 0; m < modalities.size(); ++m) {
    daf::FeatureStats stats;
    for (int64_t j = 0; j < dims[m]; ++j) {
      stats.mean.push_back(0.1f * static_cast<float>(j) - 0.2f);
      stats.std.push_back(0.5f + 0.25f * static_cast<float>(j));
    }
    loaded.metadata.normalization[modalities[m]] = stats;
  }
  loaded.model = daf::build_model(loaded.metadata);
  loaded.model->eval();
  return loaded;
}

}  // namespace

TEST_CASE("the exported head computes what the FusionHead computes, for every fusion and task") {
  torch::manual_seed(3);
  struct Variant {
    std::string fusion, gate, task;
    std::vector<std::string> modalities;
  };
  const std::vector<std::string> three = {"text", "audio", "video"};
  for (const Variant& v : std::vector<Variant>{{"dynamic", "additive", "regression", three},
                                              {"dynamic", "joint", "binary", three},
                                              {"static", "additive", "seven_class", three},
                                              {"mean", "additive", "regression", three},
                                              {"concat", "additive", "binary", three},
                                              {"dynamic", "additive", "regression", {"audio"}},
                                              {"dynamic", "joint", "multiclass", three},
                                              {"static", "additive", "multilabel", three},
                                              {"dynamic", "additive", "multilabel1", three}}) {
    INFO(v.fusion << "/" << v.gate << "/" << v.task << " with " << v.modalities.size() << " modalities");
    std::vector<int64_t> dims = {6, 5, 3};
    dims.resize(v.modalities.size());
    auto loaded = random_model(v.fusion, v.gate, v.task, v.modalities, dims);
    std::ostringstream bytes;
    daf::build_head_module(loaded, {{"text", "bert sha256=ab"}}, {}).save(bytes);
    std::istringstream in(bytes.str());
    torch::jit::Module exported = torch::jit::load(in);

    const int64_t batch = 5;
    std::vector<torch::Tensor> raw, normalized;
    c10::Dict<std::string, at::Tensor> features, present_dict;
    torch::Tensor present = torch::ones({batch, static_cast<int64_t>(dims.size())});
    for (size_t m = 0; m < dims.size(); ++m) {
      raw.push_back(torch::randn({batch, dims[m]}) * 2 + 1);
      const auto& stats = loaded.metadata.normalization.at(v.modalities[m]);
      const auto mean = torch::tensor(stats.mean), std = torch::tensor(stats.std);
      normalized.push_back((raw[m] - mean) / std);
      features.insert(v.modalities[m], raw[m]);
    }
    if (dims.size() > 1) {  // row 1 lacks audio, row 3 has only video
      present[1][1] = 0;
      present[3][0] = 0;
      present[3][1] = 0;
      for (size_t m = 0; m < dims.size(); ++m) present_dict.insert(v.modalities[m], present.select(1, m).clone());
    }
    torch::NoGradGuard no_grad;
    const daf::FusionOutput expected = loaded.model->forward(normalized, present);
    const auto out = exported.forward({features, present_dict}).toGenericDict();
    if (v.task == "regression") {
      CHECK(torch::allclose(out.at("prediction").toTensor(), expected.output, 0, 1e-6));
    } else if (v.task.rfind("multilabel", 0) == 0) {
      const auto logits = expected.output.reshape({batch, -1});
      CHECK(torch::allclose(out.at("probabilities").toTensor(), torch::sigmoid(logits), 0, 1e-6));
      CHECK(torch::equal(out.at("labels").toTensor(), (logits > 0).to(torch::kLong)));
    } else {
      CHECK(torch::allclose(out.at("probabilities").toTensor(), torch::softmax(expected.output, 1), 0, 1e-6));
      CHECK(torch::equal(out.at("class").toTensor(), expected.output.argmax(1)));
    }
    if (v.fusion == "concat") {
      CHECK_FALSE(out.contains("weights"));
    } else {
      CHECK(torch::allclose(out.at("weights").toTensor(), expected.weights, 0, 1e-6));
      CHECK(torch::allclose(out.at("weight_" + v.modalities[0]).toTensor(), expected.weights.select(1, 0), 0, 1e-6));
    }
    CHECK(exported.attr("task").toStringRef() == loaded.metadata.config.model.task);
    CHECK(exported.attr("modalities").toList().size() == v.modalities.size());
    const std::map<std::string, size_t> names = {{"seven_class", 7}, {"binary", 2}, {"multiclass", 3},
                                                 {"multilabel", 2}, {"multilabel1", 1}, {"regression", 0}};
    CHECK(exported.attr("class_names").toList().size() == names.at(v.task));
  }
}

TEST_CASE("the exported head names a missing or misshapen modality") {
  const auto loaded = random_model("dynamic", "additive", "regression", {"text", "audio"}, {4, 3});
  torch::jit::Module exported = daf::build_head_module(loaded, {}, {});
  c10::Dict<std::string, at::Tensor> features;
  features.insert("text", torch::randn({2, 4}));
  CHECK_THROWS_WITH(exported.forward({features, torch::IValue()}),
                    Catch::Matchers::ContainsSubstring("daf head: features has no audio; it takes text, audio"));
  features.insert("audio", torch::randn({2, 5}));
  CHECK_THROWS_WITH(exported.forward({features, torch::IValue()}),
                    Catch::Matchers::ContainsSubstring("daf head: features[audio] must be [B, 3]"));
}
