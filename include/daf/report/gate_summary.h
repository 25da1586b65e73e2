#pragma once
// How the fusion weights are spread: per modality, overall and per sentiment
// bucket (the truth rounded to -3..3), mean and standard deviation.
#include <cstdint>
#include <string>
#include <vector>

namespace daf {

class JsonWriter;

struct WeightStats {
  int64_t count = 0;
  double mean = 0;
  double std = 0;
};

struct GateSummary {
  std::vector<std::string> modalities;
  std::vector<WeightStats> overall;                   // [M]
  std::vector<int> buckets;                           // sentiment buckets that occur, ascending
  std::vector<std::vector<WeightStats>> per_bucket;   // [bucket][M]
};

// weights: row-major [N, M]; truths: [N].
GateSummary summarize_gate(const std::vector<std::string>& modalities, const std::vector<float>& weights,
                           const std::vector<float>& truths);

void write_gate_json(JsonWriter& json, const GateSummary& summary);
std::string gate_markdown(const GateSummary& summary);

}  // namespace daf
