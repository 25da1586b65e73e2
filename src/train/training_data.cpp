#include "training_data.h"

#include <algorithm>
#include <cstdio>

#include "daf/model/model_io.h"
#include "daf/config/task.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "daf/version.h"

namespace daf {
namespace {

// A label value as stored (float), without the digits of its double widening.
std::string format_float(float value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.7g", static_cast<double>(value));
  return text;
}

// Multi-label presence is value > data.presence_threshold. A label never present in the train
// split cannot be learnt, and one never present in the valid split leaves its weighted
// accuracy (and so WA_mean, the early-stopping metric) undefined in every epoch.
void check_presence(const Config& config, const EmbeddingCache& cache) {
  if (!is_multilabel_task(config.model.task)) return;
  for (const char* split : {"train", "valid"}) {
    std::vector<std::string> absent;
    for (const auto& label : config.data.targets) {
      const auto values = cache.splits.at(split).labels.find(label);
      if (values == cache.splits.at(split).labels.end() || values->second.empty()) continue;
      const float largest = *std::max_element(values->second.begin(), values->second.end());
      if (!(largest > config.data.presence_threshold))
        absent.push_back("'" + label + "' (largest value " + format_float(largest) + ")");
    }
    if (!absent.empty())
      throw InputError(config.data.cache + ": no label value in the " + split + " split is above data.presence_threshold " +
                       format_number(config.data.presence_threshold) + " for " + join(absent, ", ") +
                       ": such a label is never present" +
                       (std::string(split) == "valid" ? " there, so its weighted accuracy is undefined" : "") +
                       "; lower data.presence_threshold or drop the label from data.targets");
  }
}

}  // namespace

TrainingData prepare_training_data(const Config& config, const EmbeddingCache& cache, const torch::Device& device) {
  TrainingData data;
  data.metadata.daf_version = version();
  data.metadata.config = config;
  check_class_names(cache, config, config.data.cache);
  check_presence(config, cache);
  const auto& train = cache.splits.at("train");
  for (const auto& modality : config.data.modalities) {
    const auto features = train.features.find(modality);
    if (features == train.features.end())
      throw InputError(config.data.cache + ": /train/features has no modality '" + modality + "'");
    data.metadata.input_dims.push_back(features->second.cols);
    const auto attributes = cache.modality_attributes.find(modality);
    data.metadata.encoders[modality] =
        describe_encoder(attributes == cache.modality_attributes.end() ? std::map<std::string, std::string>{}
                                                                       : attributes->second);
    if (config.data.normalize) {
      const auto present = train.present.find(modality);
      data.metadata.normalization[modality] = compute_feature_stats(
          features->second, present == train.present.end() ? std::vector<uint8_t>{} : present->second);
    }
  }
  const auto& path = config.data.cache;
  auto tensors = [&](const std::string& split) {
    return make_split_tensors(select_columns(cache.splits.at(split), config, split), data.metadata, device, path, split);
  };
  data.train = tensors("train");
  data.valid = tensors("valid");
  data.test = tensors("test");
  return data;
}

uint64_t epoch_seed(int64_t seed, int64_t epoch) {
  return static_cast<uint64_t>(seed) * 1000003ULL + static_cast<uint64_t>(epoch);
}

torch::Tensor drop_modalities(const torch::Tensor& present, const std::vector<std::vector<double>>& rates,
                              std::vector<at::Generator>& generators) {
  const int64_t runs = present.size(0);
  std::vector<torch::Tensor> draws;
  for (int64_t r = 0; r < runs; ++r) {
    const auto& p = rates[static_cast<size_t>(r)];
    if (std::none_of(p.begin(), p.end(), [](double v) { return v > 0; })) {
      draws.push_back(torch::ones(present.sizes().slice(1), torch::kBool));
      continue;
    }
    // Compared in float, as a draw against one number is: the same masks as before rates per modality existed.
    const auto threshold = torch::tensor(std::vector<float>(p.begin(), p.end()), torch::kFloat);
    draws.push_back(torch::rand(present.sizes().slice(1), generators[static_cast<size_t>(r)], torch::kFloat) >=
                    threshold);
  }
  auto keep = present * torch::stack(draws).to(present.device()).to(present.scalar_type());
  const auto lost = (keep.sum(2) == 0).logical_and(present.sum(2) > 0);  // [S, B]
  if (!lost.any().item<bool>()) return keep;
  // Rows that lost every modality get one of theirs back, drawn right after the
  // run's own mask draw, as a run trained alone would draw it.
  for (int64_t r = 0; r < runs; ++r) {
    const auto rows = lost[r].nonzero().squeeze(1);
    if (rows.numel() == 0) continue;
    const auto pick = torch::multinomial(present[r].index_select(0, rows).cpu(), 1, false,
                                         generators[static_cast<size_t>(r)])
                          .squeeze(1);
    keep[r].index_put_({rows, pick.to(present.device())}, 1.0);
  }
  return keep;
}

namespace {
torch::Tensor rows_like(const torch::Tensor& t, int64_t rows) {
  auto sizes = t.sizes().vec();
  sizes[0] = rows;
  return torch::empty(sizes, t.options());
}
}  // namespace

BatchGatherer::BatchGatherer(const SplitTensors& data, int64_t max_rows) : data_(data) {
  for (const auto& f : data.features) buffers_.features.push_back(rows_like(f, max_rows));
  buffers_.present = rows_like(data.present, max_rows);
  buffers_.target = rows_like(data.target, max_rows);
}

Batch BatchGatherer::gather(const torch::Tensor& index) {
  const int64_t rows = index.size(0);
  TORCH_CHECK(rows <= buffers_.present.size(0), "BatchGatherer: ", rows, " rows exceed the buffers");
  Batch batch;
  for (size_t m = 0; m < data_.features.size(); ++m) {
    auto out = buffers_.features[m].narrow(0, 0, rows);
    batch.features.push_back(torch::index_select_out(out, data_.features[m], 0, index));
  }
  auto present = buffers_.present.narrow(0, 0, rows);
  batch.present = torch::index_select_out(present, data_.present, 0, index);
  auto target = buffers_.target.narrow(0, 0, rows);
  batch.target = torch::index_select_out(target, data_.target, 0, index);
  return batch;
}

}  // namespace daf
