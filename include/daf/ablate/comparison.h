#pragma once
// Paired comparison of two sweep conditions (default: dynamic vs static)
// trained with the same seeds and scored on the same test utterances.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "daf/metrics/statistics.h"

namespace daf {

// The clean test predictions of one run (eval/test/predictions.csv).
struct RunPredictions {
  std::vector<std::string> ids;
  std::vector<float> truth;       // the target score
  std::vector<float> prediction;  // regression output, or predicted class
};
RunPredictions read_predictions(const std::string& path, const std::string& task);

struct MetricComparison {
  std::string metric;  // MAE and Has0_F1_score (regression); accuracy and F1_weighted (classification)
  std::vector<int64_t> seeds;
  std::vector<double> reference, baseline, difference;  // per seed; difference = reference - baseline
  PairedTTest t_test;                                   // over seeds
  Interval bootstrap;  // 95% paired bootstrap CI over test utterances of the seed-averaged difference
};

// Seeds present in both maps are paired. `resamples` bootstrap draws with a fixed seed.
std::vector<MetricComparison> compare_conditions(const std::map<int64_t, RunPredictions>& reference,
                                                 const std::map<int64_t, RunPredictions>& baseline,
                                                 const std::string& task, int64_t resamples);

}  // namespace daf
