#pragma once
// What both trainers (one run, or stacked runs) need besides the model: the
// splits as tensors, reusable batch buffers, modality dropout and the
// per-epoch seeding that makes a run's randomness depend on (seed, epoch) only.
#include <torch/torch.h>

#include <cstdint>

#include "daf/config/config.h"
#include "daf/data/embedding_cache.h"
#include "daf/model/fusion_head.h"
#include "daf/model/model_metadata.h"
#include "daf/train/split_tensors.h"

namespace daf {

struct TrainingData {
  ModelMetadata metadata;  // metadata.config: the config the data was prepared for
  SplitTensors train, valid, test;
};

// Normalisation statistics come from the training split; errors name the cache.
TrainingData prepare_training_data(const Config& config, const EmbeddingCache& cache, const torch::Device& device);

// The seed of a run's data order and dropout in `epoch`, so a resumed run
// continues exactly as an uninterrupted one would.
uint64_t epoch_seed(int64_t seed, int64_t epoch);

// Masks modality m of each row of stacked run s ([S, B, M]) with probability
// rates[s][m], keeping at least one modality that was present; run s draws
// from generators[s], and a run whose rates are all 0 draws nothing (as alone).
torch::Tensor drop_modalities(const torch::Tensor& present, const std::vector<std::vector<double>>& rates,
                              std::vector<at::Generator>& generators);

// Rows of a split gathered into buffers allocated once: training batches
// differ only in which rows they hold (the last one may be smaller).
class BatchGatherer {
 public:
  BatchGatherer(const SplitTensors& data, int64_t max_rows);
  // Rows `index` ([rows]); the result views this gatherer's buffers.
  Batch gather(const torch::Tensor& index);

 private:
  const SplitTensors& data_;
  Batch buffers_;
};

}  // namespace daf
