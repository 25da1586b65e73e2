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
  // Row-major [N, width]: regression: the score and the prediction; class
  // tasks: the true and the predicted class; multilabel: 0/1 per label.
  std::vector<float> truth;
  std::vector<float> prediction;
  size_t width = 1;     // labels (multilabel), else 1
  int64_t classes = 0;  // class tasks: the number of classes (probability_ columns)
  // The fusion weight of each modality per utterance (weight_<modality> columns), where the head has a gate.
  std::map<std::string, std::vector<float>> weights;
};
RunPredictions read_predictions(const std::string& path, const std::string& task);

// Row numbers of a subset of the test utterances.
using Indices = std::vector<size_t>;
// A compared metric (see MetricComparison) of one run on some utterances; NaN where undefined
// (no utterance, or a metric the rows cannot define).
double run_metric(const std::string& metric, const std::string& task, const RunPredictions& run, const Indices& rows);
// Whether a smaller value of the metric is better (MAE).
bool lower_is_better(const std::string& metric);

struct MetricComparison {
  // MAE, Has0_F1_score (regression); accuracy, F1_weighted (binary, seven_class);
  // UAR, accuracy, F1_weighted (multiclass); WA_mean, F1_micro (multilabel)
  std::string metric;
  std::vector<int64_t> seeds;
  std::vector<double> reference, baseline, difference;  // per seed; difference = reference - baseline
  PairedTTest t_test;                                   // over seeds
  Interval bootstrap;  // 95% paired bootstrap CI over test utterances of the seed-averaged difference
};

// Seeds present in both maps are paired. `resamples` bootstrap draws with a fixed seed,
// resampling `rows` (all utterances when null); `primary_only`: the task's primary metric alone.
// `strata` (one value per utterance; cross-validation: each utterance's fold): each draw
// resamples within every stratum, keeping its size.
std::vector<MetricComparison> compare_conditions(const std::map<int64_t, RunPredictions>& reference,
                                                 const std::map<int64_t, RunPredictions>& baseline,
                                                 const std::string& task, int64_t resamples,
                                                 const Indices* rows = nullptr, bool primary_only = false,
                                                 const std::vector<int64_t>* strata = nullptr);

}  // namespace daf
