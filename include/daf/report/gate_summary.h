#pragma once
// How the fusion weights are spread: per modality, overall and per group of
// utterances, mean and standard deviation. Groups: the sentiment bucket (the
// truth rounded to -3..3; regression, binary, seven_class), the true class
// (multiclass) or each label's present utterances (multilabel).
#include <cstdint>
#include <string>
#include <vector>

#include "daf/metrics/statistics.h"

namespace daf {

class JsonWriter;

// How a modality's mean weight moved from the clean evaluation to a perturbed one, both
// over seeds: "drops" or "rises" only when the shift is larger than the seed-to-seed
// spread (the larger std of the two); otherwise "within the seed-to-seed spread S";
// "one seed: no verdict" when there is no spread to compare with.
std::string weight_shift_verdict(const MeanStd& clean, const MeanStd& shifted);

struct WeightStats {
  int64_t count = 0;
  double mean = 0;
  double std = 0;
};

struct GateSummary {
  std::vector<std::string> modalities;
  std::vector<WeightStats> overall;                   // [M]
  std::string grouping = "sentiment";                 // sentiment | class | label
  std::vector<std::string> groups;                    // names of the groups that have rows, in order
  std::vector<int> buckets;                           // grouping sentiment: the buckets that occur, ascending
  std::vector<std::vector<WeightStats>> per_bucket;   // [group][M]
};

// weights: row-major [N, M]; truths: [N].
GateSummary summarize_gate(const std::vector<std::string>& modalities, const std::vector<float>& weights,
                           const std::vector<float>& truths);

// row_groups[i]: the groups row i belongs to (indices into group_names); groups
// without rows are left out.
GateSummary summarize_gate_by_group(const std::vector<std::string>& modalities, const std::vector<float>& weights,
                                    const std::vector<std::vector<size_t>>& row_groups,
                                    const std::vector<std::string>& group_names, const std::string& grouping);

void write_gate_json(JsonWriter& json, const GateSummary& summary);
std::string gate_markdown(const GateSummary& summary);

}  // namespace daf
