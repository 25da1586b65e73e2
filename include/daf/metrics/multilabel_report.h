#pragma once
// Metrics of a multi-label task (CMU-MOSEI's six emotions: a label is present
// when its intensity exceeds a threshold), per label and over labels:
// accuracy, weighted accuracy WA = (TP * N/P + TN) / (2N) as used for the MOSEI
// emotions (Zadeh et al. 2018; MulT), F1 of the positive class, and micro and
// macro F1 over labels (scikit-learn's f1_score on the indicator matrix).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "daf/metrics/metric_values.h"

namespace daf {

struct LabelScores {
  int64_t positives = 0, negatives = 0;  // P and N in truth
  int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  double accuracy = NAN;
  // NaN where undefined, reported as null: WA of a label never present (or
  // always present) in truth; F1 of a label neither present nor predicted.
  double weighted_accuracy = NAN, f1 = NAN;
};

struct MultilabelReport {
  std::vector<LabelScores> labels;
  // Means over the labels where each is defined (scikit-learn would count an
  // undefined F1 as 0; daf leaves the label out and reports it as null).
  double accuracy = NAN, weighted_accuracy = NAN, f1_macro = NAN;
  double f1_micro = NAN;  // 2 sum TP / (2 sum TP + sum FP + sum FN)

  // accuracy_mean, WA_mean, F1_macro, F1_micro, then <label>_acc, <label>_WA,
  // <label>_F1 per label (names: label_names, or the label indices).
  MetricValues metrics(const std::vector<std::string>& label_names = {}) const;
};

// predicted and truth: [rows][labels], 0/1. std::invalid_argument on shapes
// that differ or no rows.
MultilabelReport multilabel_report(const std::vector<std::vector<uint8_t>>& predicted,
                                   const std::vector<std::vector<uint8_t>>& truth);

}  // namespace daf
