#pragma once
// What scoring a split's predictions gives (train/predictor.h computes it):
// torch-free, so that daf-eval's public header does not pull in LibTorch.
#include <cstdint>
#include <vector>

#include "daf/metrics/metric_values.h"

namespace daf {

struct Scores {
  MetricValues metrics;  // the task's summary metrics, then "loss" (metrics.csv, early stopping, tables)
  // multiclass: precision_/recall_/F1_<class>; multilabel: <label>_acc, _WA, _F1 (daf-eval's reports)
  MetricValues per_output;
  std::vector<std::vector<int64_t>> confusion;  // class tasks: [truth][prediction]
};

}  // namespace daf
