#pragma once
// Per-class metrics of a categorical task (emotion classes: IEMOCAP, MELD),
// following scikit-learn's definitions: precision, recall and F1 per class
// (precision_recall_fscore_support), accuracy, F1 weighted by support and
// macro F1 over the classes that occur in truth or prediction (f1_score), and
// unweighted average recall over the classes that occur in truth (UAR, the
// speech-emotion standard; balanced_accuracy_score).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "daf/metrics/metric_values.h"

namespace daf {

struct ClassScores {
  int64_t support = 0;    // rows of the class in truth
  int64_t predicted = 0;  // rows predicted as the class
  // NaN where undefined, reported as null: precision of a class never
  // predicted, recall of a class never in truth, F1 of a class in neither.
  // F1 = 2TP / (2TP + FP + FN), scikit-learn's value (0) where only precision
  // or only recall is undefined.
  double precision = NAN, recall = NAN, f1 = NAN;
};

struct ClassReport {
  double accuracy = 0, f1_weighted = 0, f1_macro = 0, uar = 0;
  std::vector<ClassScores> classes;             // one per class index
  std::vector<std::vector<int64_t>> confusion;  // [truth][prediction]

  // accuracy, F1_weighted, F1_macro, UAR, then precision_<name>, recall_<name>
  // and F1_<name> per class (names: class_names, or the class indices).
  MetricValues metrics(const std::vector<std::string>& class_names = {}) const;
};

// Classes are 0..num_classes-1; std::invalid_argument on other values, on
// lengths that differ or on no rows.
ClassReport class_report(const std::vector<int64_t>& predicted, const std::vector<int64_t>& truth, int64_t num_classes);

}  // namespace daf
