#pragma once
// MOSI/MOSEI regression metrics with MMSA's exact definitions and key names
// (MMSA/utils/metricsTop.py, __eval_mosei_regression):
//   Has0_acc_2, Has0_F1_score   truth >= 0 vs prediction >= 0, F1 weighted over the two classes
//   Non0_acc_2, Non0_F1_score   the same after dropping rows whose truth is exactly 0, positive = > 0
//   Mult_acc_5, Mult_acc_7      clip both to [-2,2] / [-3,3], round half to even, compare
//   MAE, Corr                   mean absolute error, Pearson correlation
// Undefined values (Corr of a constant, Non0 metrics when every truth is 0) are NaN.
#include <vector>

#include "daf/metrics/metric_values.h"

namespace daf {

MetricValues regression_metrics(const std::vector<float>& predictions, const std::vector<float>& truths);

// numpy.round: to the nearest integer, ties to even.
double round_half_even(double value);

}  // namespace daf
