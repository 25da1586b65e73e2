#pragma once
// A frozen TorchScript speech encoder. Contract:
//   forward(waveform: float [B, S], lengths: int64 [B])
//     -> float [B, T', D] | (float [B, T', D], int64 [B] valid frames, ...)
// Frames past an utterance's end are excluded from its mean: by the module's
// output lengths when it returns them, else in proportion to lengths / S.
// The header stays torch-free.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "daf/data/embedding_cache.h"

namespace daf {

// Zero-padded mono waveforms, row-major [rows, length], with each row's valid length.
struct WaveBatch {
  int64_t rows = 0;
  int64_t length = 0;
  std::vector<float> samples;
  std::vector<int64_t> lengths;
};

// Per row: the sum of its valid frame vectors and how many there were, so
// chunks of one utterance can be pooled over all their frames.
struct FrameSums {
  FeatureMatrix sums;
  std::vector<int64_t> frames;
};

class SpeechEncoder {
 public:
  SpeechEncoder(const std::string& path, const std::string& device);
  ~SpeechEncoder();

  // The module's integer attribute `sample_rate`, or 0 when it has none.
  int64_t module_sample_rate() const;
  // Runs `probe`, checks the output against the contract; returns D.
  int64_t check_contract(const WaveBatch& probe);
  FrameSums encode(const WaveBatch& batch);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace daf
