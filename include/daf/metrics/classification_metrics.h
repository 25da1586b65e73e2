#pragma once
// Classification metrics as scikit-learn computes them: accuracy, F1 weighted
// by support and macro F1, over the classes that occur in truth or prediction.
#include <cstdint>
#include <vector>

#include "daf/metrics/metric_values.h"

namespace daf {

struct ClassificationReport {
  MetricValues metrics;                        // accuracy, F1_weighted, F1_macro
  std::vector<std::vector<int64_t>> confusion;  // [truth][prediction]
};

ClassificationReport classification_metrics(const std::vector<int64_t>& predicted, const std::vector<int64_t>& truth,
                                            int64_t num_classes);

double weighted_f1(const std::vector<int64_t>& predicted, const std::vector<int64_t>& truth, int64_t num_classes);
double macro_f1(const std::vector<int64_t>& predicted, const std::vector<int64_t>& truth, int64_t num_classes);

// Class of a sentiment score: binary (score >= 0, as MMSA's Has0) or
// seven_class (round_half_even(clip(score, -3, 3)) + 3, i.e. -3..3 -> 0..6).
int64_t sentiment_class(float score, int64_t num_classes);

}  // namespace daf
