// The fused training kernels (train.kernels: fused) against LibTorch's
// autograd (train.kernels: autograd), the oracle, on every variant of the head:
// the same outputs and the same gradients, to float rounding, which LibTorch's
// autograd in double precision measures.
#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <functional>

#include "catch.h"
#include "daf/config/config.h"
#include "daf/data/cache_io.h"
#include "daf/model/stacked_fusion_head.h"
#include "daf/model/task_loss.h"
#include "daf/train/trainer.h"
#include "daf/util/atomic_file.h"
#include "daf/util/logging.h"
#include "daf/util/strings.h"
#include "model/philox.h"
#include "test_helpers.h"

// One named namespace for the whole file: the unity build compiles the test
// sources as one file, where other tests' anonymous helpers (Variant,
// variants, ...) would collide with these.
namespace fused_kernels_test {


struct Variant {
  std::string fusion = "dynamic", gate = "additive", activation = "relu", task = "regression";
  bool layer_norm = true;
  double dropout = 0.3;
  int64_t head_layers = 1;
  std::vector<int64_t> dims = {6, 5, 3};
};

std::string describe(const Variant& v) {
  return v.fusion + "/" + v.gate + " " + v.activation + (v.layer_norm ? " norm" : " no-norm") + " dropout " +
         std::to_string(v.dropout) + " head_layers " + std::to_string(v.head_layers) + " " + v.task + " " +
         std::to_string(v.dims.size()) + " modalities";
}

std::vector<Variant> variants() {
  std::vector<Variant> all;
  for (const std::string activation : {"relu", "gelu", "tanh"})
    for (const bool layer_norm : {true, false})
      for (const double dropout : {0.0, 0.3}) {
        Variant v;
        v.activation = activation;
        v.layer_norm = layer_norm;
        v.dropout = dropout;
        all.push_back(v);
      }
  for (const std::string fusion : {"static", "mean", "concat"}) {
    Variant v;
    v.fusion = fusion;
    all.push_back(v);
  }
  for (const int64_t layers : {0, 2, 3}) {
    Variant v;
    v.head_layers = layers;
    v.fusion = layers == 3 ? "concat" : "dynamic";
    v.activation = layers == 2 ? "gelu" : "relu";
    all.push_back(v);
  }
  Variant joint;
  joint.gate = "joint";
  joint.task = "seven_class";
  joint.activation = "tanh";
  all.push_back(joint);
  Variant unimodal;
  unimodal.dims = {7};
  unimodal.task = "binary";
  all.push_back(unimodal);
  return all;
}

daf::FusionHead make_head(const Variant& v, int64_t seed) {
  daf::ModelConfig c = daf::load_config("", {"data.cache=x"}).model;
  c.task = v.task;  // multiclass and multilabel would need the cache's classes or labels
  c.fusion = v.fusion;
  c.gate = v.gate;
  c.activation = v.activation;
  c.layer_norm = v.layer_norm;
  c.dropout = v.dropout;
  c.dim = 16;
  c.gate_hidden = 4;
  c.head_hidden = 8;
  c.head_dropout = v.dropout > 0 ? 0.2 : 0.0;
  c.head_layers = v.head_layers;
  const int64_t outputs = v.task == "regression" ? 1 : v.task == "binary" ? 2 : 7;
  torch::manual_seed(static_cast<uint64_t>(seed));
  return daf::FusionHead(c, v.dims, outputs);
}

// ||a - b|| / ||b|| (Frobenius norms); a tensor that is ~0 everywhere is
// compared absolutely. Norm-wise, as gradient checks compare: one element that
// is a sum of large terms cancelling to ~0 carries their rounding, which the
// two paths make in different orders.
double relative_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).norm().item<double>() / std::max(b.norm().item<double>(), 1e-6);
}

struct Result {
  torch::Tensor output, weights;
  std::vector<torch::Tensor> gradients;
};

// One forward and backward of a stacked head built from `heads`, the
// gradients either handed back to autograd (no .grad yet) or accumulated into
// .grad tensors that exist already (as FlatAdam's buffer makes them).
Result run(const std::vector<daf::FusionHead>& heads, daf::HeadKernels kernels, const std::vector<torch::Tensor>& inputs,
           const torch::Tensor& present, bool training, bool preallocated) {
  daf::StackedFusionHead stacked(heads, kernels);
  if (preallocated)
    for (const auto& p : stacked.parameters()) p.mutable_grad() = torch::full_like(p, 0.5);
  std::vector<at::Generator> generators;
  for (int64_t s = 0; s < stacked.size(); ++s) generators.push_back(at::make_generator<at::CPUGeneratorImpl>(40 + s));
  const auto out = stacked.forward(inputs, present, training ? &generators : nullptr);
  // A loss whose gradient differs per output element.
  torch::manual_seed(9);
  const auto loss_weights = torch::randn(out.output.sizes()).to(out.output.scalar_type());
  (out.output * loss_weights).sum().backward();
  Result result{out.output.detach(), out.weights.defined() ? out.weights.detach() : torch::Tensor(), {}};
  for (const auto& p : stacked.parameters()) {
    REQUIRE(p.grad().defined());
    result.gradients.push_back(p.grad());
  }
  return result;
}


TEST_CASE("fused kernels compute the autograd path's outputs and gradients on every variant", "[model][kernels]") {
  for (const auto& v : variants()) {
    INFO(describe(v));
    const int64_t heads = 3, batch = 9, modalities = static_cast<int64_t>(v.dims.size());
    std::vector<daf::FusionHead> separate, in_double;
    for (int64_t s = 0; s < heads; ++s) {
      separate.push_back(make_head(v, 100 + s));
      in_double.push_back(make_head(v, 100 + s));
      in_double.back()->to(torch::kDouble);
    }
    torch::manual_seed(5);
    std::vector<torch::Tensor> inputs, inputs_double;
    for (int64_t d : v.dims) {
      inputs.push_back(torch::randn({heads, batch, d}));
      inputs_double.push_back(inputs.back().to(torch::kDouble));
    }
    auto present = (torch::rand({heads, batch, modalities}) > 0.3).to(torch::kFloat);
    present.select(2, 0).fill_(1);
    for (const bool training : {true, false})
      for (const bool preallocated : {false, true}) {
        INFO((training ? "training" : "evaluation") << (preallocated ? ", into existing .grad" : ", new .grad"));
        const auto expected = run(separate, daf::HeadKernels::kAutograd, inputs, present, training, preallocated);
        const auto fused = run(separate, daf::HeadKernels::kFused, inputs, present, training, preallocated);
        const auto exact = run(in_double, daf::HeadKernels::kAutograd, inputs_double, present.to(torch::kDouble), training, preallocated);
        CHECK(relative_difference(fused.output, expected.output) < 1e-6);
        if (expected.weights.defined()) CHECK(relative_difference(fused.weights, expected.weights) < 1e-6);
        REQUIRE(fused.gradients.size() == expected.gradients.size());
        for (size_t k = 0; k < fused.gradients.size(); ++k) {
          INFO("parameter " << k);
          const double between = relative_difference(fused.gradients[k], expected.gradients[k]);
          const double fused_error = relative_difference(fused.gradients[k], exact.gradients[k].to(torch::kFloat));
          const double autograd_error = relative_difference(expected.gradients[k], exact.gradients[k].to(torch::kFloat));
          INFO("between " << between << " fused vs double " << fused_error << " autograd vs double " << autograd_error);
          // Within 1e-6 of autograd where float rounding allows it. A gradient
          // summed over cancelling terms carries ~1e-6 of rounding in either
          // path (measured against autograd in double); there the fused one must
          // be no further from the double result than 3x the float autograd's.
          CHECK((between < 1e-6 || fused_error <= 3 * autograd_error));
          CHECK(fused_error < 1e-5);
        }
      }
  }
}

// A regression head's losses and gradients, either through the fused output
// layer and loss or through forward() and task_loss_per_run (the path every
// other task takes), with the same dropout masks.
struct LossResult {
  torch::Tensor losses;
  std::vector<torch::Tensor> gradients;
};

LossResult regression_step(const std::vector<daf::FusionHead>& heads, bool fused, const std::vector<torch::Tensor>& inputs,
                           const torch::Tensor& present, const torch::Tensor& target, const std::vector<uint8_t>& mse,
                           bool preallocated) {
  daf::StackedFusionHead stacked(heads, daf::HeadKernels::kFused);
  if (preallocated)
    for (const auto& p : stacked.parameters()) p.mutable_grad() = torch::full_like(p, 0.5);
  std::vector<at::Generator> generators;
  for (int64_t s = 0; s < stacked.size(); ++s) generators.push_back(at::make_generator<at::CPUGeneratorImpl>(60 + s));
  std::vector<daf::Config> configs;
  std::vector<const daf::Config*> rows;
  for (const uint8_t m : mse) configs.push_back(daf::load_config("", {"data.cache=x", m ? "train.loss=mse" : "train.loss=l1"}));
  for (const auto& c : configs) rows.push_back(&c);
  REQUIRE(stacked.fused_regression_available());
  const auto losses = fused ? stacked.regression_losses(inputs, present, &generators, target, mse)
                            : daf::task_loss_per_run(stacked.forward(inputs, present, &generators).output, target, rows, {});
  // Each run's loss weighted differently, as a trainer's sum is not.
  (losses * torch::arange(1, stacked.size() + 1, torch::kFloat)).sum().backward();
  LossResult result{losses.detach(), {}};
  for (const auto& p : stacked.parameters()) result.gradients.push_back(p.grad().clone());
  return result;
}

TEST_CASE("the fused output layer and regression loss give the unfused path's gradients, bit for bit", "[model][kernels]") {
  for (const int64_t head_layers : {0, 1, 2}) {
    for (const auto& mse : std::vector<std::vector<uint8_t>>{{0, 0, 0}, {1, 1, 1}, {0, 1, 0}}) {
      for (const bool preallocated : {false, true}) {
        INFO("head_layers " << head_layers << ", mse " << int(mse[0]) << int(mse[1]) << int(mse[2])
                            << (preallocated ? ", into existing .grad" : ", new .grad"));
        Variant v;
        v.head_layers = head_layers;
        std::vector<daf::FusionHead> heads;
        for (int64_t s = 0; s < 3; ++s) heads.push_back(make_head(v, 300 + s));
        const int64_t batch = 11;
        torch::manual_seed(8);
        std::vector<torch::Tensor> inputs;
        for (int64_t d : v.dims) inputs.push_back(torch::randn({3, batch, d}));
        const auto present = (torch::rand({3, batch, 3}) > 0.3).to(torch::kFloat);
        auto target = torch::randn({3, batch});
        const auto unfused = regression_step(heads, false, inputs, present, target, mse, preallocated);
        // An output equal to its target (|x| has gradient 0 there), with the step's dropout masks.
        {
          daf::StackedFusionHead probe(heads, daf::HeadKernels::kFused);
          std::vector<at::Generator> generators;
          for (int64_t s = 0; s < 3; ++s) generators.push_back(at::make_generator<at::CPUGeneratorImpl>(60 + s));
          torch::NoGradGuard no_grad;
          target[1][4] = probe.forward(inputs, present, &generators).output[1][4];
        }
        const auto fused = regression_step(heads, true, inputs, present, target, mse, preallocated);
        const auto reference = regression_step(heads, false, inputs, present, target, mse, preallocated);
        CHECK(relative_difference(fused.losses, reference.losses) < 1e-6);
        REQUIRE(fused.gradients.size() == reference.gradients.size());
        for (size_t k = 0; k < fused.gradients.size(); ++k) {
          INFO("parameter " << k);
          CHECK(torch::equal(fused.gradients[k], reference.gradients[k]));
        }
        CHECK(!torch::equal(unfused.losses, reference.losses));  // the target changed: the check is not vacuous
      }
    }
  }
}

// The graph-free training step (regression_step) against what it replaces,
// regression_losses() and backward() through the fused autograd nodes: the
// same losses and gradients bit for bit, on every regression variant, and the
// same generators' state after it (the same dropout masks drawn).
// One training step of a fused stacked head of `v` (3 heads, batch 10, an
// utterance with no modality), its gradients added to preallocated .grad
// tensors as FlatAdam's are: `losses` computes the losses [S] with the
// graph-free step or with the fused autograd nodes and backward(). Both must
// give the same losses, gradients and generator states, bit for bit.
using StepLosses = std::function<torch::Tensor(const daf::StackedFusionHead&, const std::vector<torch::Tensor>& inputs,
                                               const torch::Tensor& present, std::vector<at::Generator>*,
                                               bool graph_free)>;
void check_graph_free_step(const Variant& v, const StepLosses& losses) {
  INFO(describe(v));
  const int64_t heads = 3, batch = 10, modalities = static_cast<int64_t>(v.dims.size());
  std::vector<daf::FusionHead> separate;
  for (int64_t s = 0; s < heads; ++s) separate.push_back(make_head(v, 500 + s));
  torch::manual_seed(12);
  std::vector<torch::Tensor> inputs;
  for (int64_t d : v.dims) inputs.push_back(torch::randn({heads, batch, d}));
  auto present = (torch::rand({heads, batch, modalities}) > 0.3).to(torch::kFloat);
  present[1][2].fill_(0);  // an utterance with no modality at all
  struct Step {
    torch::Tensor losses;
    std::vector<torch::Tensor> gradients;
    uint64_t next_draw = 0;
  };
  const auto step = [&](bool graph_free) {
    daf::StackedFusionHead stacked(separate, daf::HeadKernels::kFused);
    for (const auto& p : stacked.parameters()) p.mutable_grad() = torch::full_like(p, 0.5);
    std::vector<at::Generator> generators;
    for (int64_t s = 0; s < heads; ++s) generators.push_back(at::make_generator<at::CPUGeneratorImpl>(70 + s));
    REQUIRE(stacked.fused_step_available());
    Step result;
    result.losses = losses(stacked, inputs, present, &generators, graph_free);
    if (!graph_free) result.losses.sum().backward();
    result.losses = result.losses.detach();
    for (const auto& p : stacked.parameters()) result.gradients.push_back(p.grad().clone());
    result.next_draw = daf::draw_mask_key(generators.back());
    return result;
  };
  const auto graph_free = step(true);
  const auto nodes = step(false);
  CHECK(torch::equal(graph_free.losses, nodes.losses));
  CHECK(graph_free.next_draw == nodes.next_draw);
  REQUIRE(graph_free.gradients.size() == nodes.gradients.size());
  for (size_t k = 0; k < nodes.gradients.size(); ++k) {
    INFO("parameter " << k);
    CHECK(torch::equal(graph_free.gradients[k], nodes.gradients[k]));
    CHECK(!torch::equal(nodes.gradients[k], torch::full_like(nodes.gradients[k], 0.5)));  // every one reached
  }
}

TEST_CASE("the training step without a graph gives the fused nodes' losses and gradients, bit for bit", "[model][kernels]") {
  std::vector<Variant> regression;
  for (auto v : variants()) {
    v.task = "regression";
    regression.push_back(v);
  }
  Variant deep = regression.front();  // three hidden layers after a dynamic gate, with dropout
  deep.head_layers = 3;
  regression.push_back(deep);
  const auto target = torch::randn({3, 10});
  const std::vector<uint8_t> mse = {0, 1, 0};
  for (const auto& v : regression)
    check_graph_free_step(v, [&](const daf::StackedFusionHead& head, const std::vector<torch::Tensor>& inputs,
                                 const torch::Tensor& present, std::vector<at::Generator>* generators,
                                 bool graph_free) {
      return graph_free ? head.regression_step(inputs, present, generators, target, mse)
                        : head.regression_losses(inputs, present, generators, target, mse);
    });
}

TEST_CASE("the training step without a graph gives class and multilabel losses and gradients, bit for bit",
          "[model][kernels]") {
  // Every variant under each class task and multilabel, with and without loss weights.
  const std::vector<std::string> tasks = {"binary", "seven_class", "multiclass", "multilabel"};
  size_t k = 0;
  for (auto v : variants()) {
    v.task = tasks[k % tasks.size()];
    const bool weighted = k++ % 2 == 1;
    const int64_t outputs = v.task == "binary" ? 2 : 7;
    daf::Config config = daf::load_config("", {"data.cache=x"});
    config.model.task = v.task;
    const std::vector<const daf::Config*> rows(3, &config);
    std::vector<float> loss_weights;
    if (weighted)
      for (int64_t c = 0; c < outputs; ++c) loss_weights.push_back(0.5f + 0.25f * static_cast<float>(c));
    torch::manual_seed(31);
    const auto target = v.task == "multilabel" ? (torch::rand({3, 10, outputs}) > 0.6).to(torch::kFloat)
                                               : torch::randint(outputs, {3, 10}, torch::kLong);
    INFO((weighted ? "class/positive weights" : "unweighted"));
    check_graph_free_step(v, [&](const daf::StackedFusionHead& head, const std::vector<torch::Tensor>& inputs,
                                 const torch::Tensor& present, std::vector<at::Generator>* generators,
                                 bool graph_free) {
      const auto loss = [&](const torch::Tensor& output) {
        return daf::task_loss_per_run(output, target, rows, loss_weights);
      };
      return graph_free ? head.training_step(inputs, present, generators, loss)
                        : loss(head.forward(inputs, present, generators).output);
    });
  }
}

TEST_CASE("a fused stacked head computes each head as it computes alone, bit for bit", "[model][kernels]") {
  Variant v;
  v.activation = "gelu";
  const int64_t heads = 4, batch = 6;
  std::vector<daf::FusionHead> separate;
  for (int64_t s = 0; s < heads; ++s) separate.push_back(make_head(v, 200 + s));
  torch::manual_seed(6);
  std::vector<torch::Tensor> inputs;
  for (int64_t d : v.dims) inputs.push_back(torch::randn({heads, batch, d}));
  const auto present = torch::ones({heads, batch, 3});
  const auto together = run(separate, daf::HeadKernels::kFused, inputs, present, false, true);
  for (int64_t s = 0; s < heads; ++s) {
    std::vector<torch::Tensor> own;
    for (const auto& x : inputs) own.push_back(x.slice(0, s, s + 1));
    daf::StackedFusionHead alone({separate[static_cast<size_t>(s)]}, daf::HeadKernels::kFused);
    const auto out = alone.forward(own, present.slice(0, s, s + 1));
    CHECK(torch::equal(out.output[0], together.output[s]));
  }
}


daf::Config training_config(const daf::test::TempDir& dir, const std::string& run, int64_t seed,
                            const std::string& kernels) {
  if (!std::filesystem::exists(dir.file("cache.h5"))) daf::write_cache(dir.file("cache.h5"), daf::test::small_cache());
  daf::setup_logging("warn");
  return daf::load_config("", {"data.cache=" + dir.file("cache.h5"), "output.dir=" + dir.file(run), "model.dim=16",
                               "model.head_hidden=16", "model.gate_hidden=8", "model.activation=gelu",
                               "train.max_epochs=4", "train.batch_size=16", "train.threads=1",
                               "train.modality_dropout=0.2", "train.seed=" + std::to_string(seed),
                               "train.kernels=" + kernels, "output.log_level=warn"});
}

// metrics.csv without its timing columns (seconds, samples_per_s).
std::string metrics_without_timing(const std::string& run_dir) {
  const auto lines = daf::split(daf::read_file(run_dir + "/metrics.csv"), '\n');
  const auto header = daf::split(lines.at(0), ',');
  std::string kept;
  for (const auto& line : lines) {
    const auto cells = daf::split(line, ',');
    for (size_t k = 0; k < cells.size() && k < header.size(); ++k)
      if (header[k] != "seconds" && header[k] != "samples_per_s") kept += cells[k] + ",";
    kept += "\n";
  }
  return kept;
}

double first_loss(const std::string& run_dir) {
  const auto lines = daf::split(daf::read_file(run_dir + "/metrics.csv"), '\n');
  return std::stod(daf::split(lines.at(1), ',').at(1));
}


TEST_CASE("training with fused kernels: deterministic, stacked as alone, as autograd to rounding", "[train][kernels]") {
  daf::test::TempDir dir;
  const daf::EmbeddingCache cache = daf::test::small_cache();
  const auto alone = daf::train_model(training_config(dir, "alone", 21, "fused"), cache);
  const auto again = daf::train_model(training_config(dir, "again", 21, "fused"), cache);
  CHECK(metrics_without_timing(dir.file("alone")) == metrics_without_timing(dir.file("again")));
  CHECK(daf::read_file(dir.file("alone") + "/final_metrics.csv") ==
        daf::read_file(dir.file("again") + "/final_metrics.csv"));

  const auto together = daf::train_models_together(
      {training_config(dir, "together-21", 21, "fused"), training_config(dir, "together-22", 22, "fused")}, cache);
  REQUIRE(together.size() == 2);
  CHECK(std::abs(first_loss(dir.file("together-21")) - first_loss(dir.file("alone"))) < 1e-5);

  daf::train_model(training_config(dir, "autograd", 21, "autograd"), cache);
  CHECK(std::abs(first_loss(dir.file("autograd")) - first_loss(dir.file("alone"))) < 1e-5);
  // The two paths' numbers are kept apart: a run directory of one is not resumed by the other.
  CHECK(daf::read_file(dir.file("autograd") + "/config.yaml").find("kernels: autograd") != std::string::npos);
}

TEST_CASE("dropout masks come from Philox4x32-10, element by element", "[model][kernels]") {
  // Random123's known-answer vectors (its tests/kat_vectors).
  CHECK(daf::philox4x32_10({0, 0, 0, 0}, {0, 0}) == std::array<uint32_t, 4>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(daf::philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}) ==
        std::array<uint32_t, 4>{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(daf::philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
        std::array<uint32_t, 4>{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});

  // The mask is its definition in philox.h, element by element, with the AVX2 kernel (8 blocks
  // per register, where this CPU has it) and the portable one: every length up to and past two
  // register groups, a key using both words, and a keep rate that is not a multiple of 2^-24.
  for (const auto kernel : {daf::MaskKernel::kBest, daf::MaskKernel::kPortable}) {
    for (const uint64_t key : {uint64_t{42}, uint64_t{0x8badf00d12345678}}) {
      for (int64_t n = 1; n <= 70; ++n) {
        std::vector<float> mask(static_cast<size_t>(n) + 1, -1.0f);
        daf::fill_keep_mask(key, 0.6, mask.data(), n, kernel);
        CHECK(mask.back() == -1.0f);  // nothing written past n
        for (int64_t i = 0; i < n; ++i) {
          const auto words = daf::philox4x32_10({static_cast<uint32_t>(i / 4), 0, 0, 0},
                                                {static_cast<uint32_t>(key), static_cast<uint32_t>(key >> 32)});
          const bool kept = (words[static_cast<size_t>(i % 4)] >> 8) < static_cast<uint32_t>(0.6 * 16777216.0);
          REQUIRE(mask[static_cast<size_t>(i)] == (kept ? 1.0f : 0.0f));
        }
      }
    }
  }
  std::vector<float> best(20480), portable(20480);
  daf::fill_keep_mask(99, 0.9, best.data(), 20480, daf::MaskKernel::kBest);
  daf::fill_keep_mask(99, 0.9, portable.data(), 20480, daf::MaskKernel::kPortable);
  CHECK(best == portable);

  // Element i depends on the key and i only: a shorter mask is a prefix of a longer one.
  std::vector<float> long_mask(100003), short_mask(37);
  daf::fill_keep_mask(42, 0.7, long_mask.data(), static_cast<int64_t>(long_mask.size()));
  daf::fill_keep_mask(42, 0.7, short_mask.data(), static_cast<int64_t>(short_mask.size()));
  CHECK(std::equal(short_mask.begin(), short_mask.end(), long_mask.begin()));
  // Kept with probability 0.7: within 4 standard deviations over 100,003 draws.
  double kept = 0;
  for (const float v : long_mask) {
    REQUIRE((v == 0.0f || v == 1.0f));
    kept += v;
  }
  CHECK(std::abs(kept / 100003.0 - 0.7) < 4 * std::sqrt(0.7 * 0.3 / 100003.0));
  std::vector<float> other_key(37);
  daf::fill_keep_mask(43, 0.7, other_key.data(), 37);
  CHECK(other_key != short_mask);
  std::vector<float> all(64);
  daf::fill_keep_mask(7, 1.0, all.data(), 64);
  CHECK(std::all_of(all.begin(), all.end(), [](float v) { return v == 1.0f; }));

  // A mask advances its run's generator by one draw, whatever its size.
  auto a = at::make_generator<at::CPUGeneratorImpl>(5), b = at::make_generator<at::CPUGeneratorImpl>(5);
  const uint64_t key = daf::draw_mask_key(a);
  CHECK(key == daf::draw_mask_key(b));
  CHECK(daf::draw_mask_key(a) == daf::draw_mask_key(b));
}

}  // namespace fused_kernels_test
