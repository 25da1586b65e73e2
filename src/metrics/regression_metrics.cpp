#include "daf/metrics/regression_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "daf/metrics/metric_values.h"

#include "daf/metrics/classification_metrics.h"

namespace daf {
namespace {

double multiclass_accuracy(const std::vector<float>& predictions, const std::vector<float>& truths, float bound) {
  size_t hits = 0;
  for (size_t i = 0; i < truths.size(); ++i) {
    const float p = std::clamp(predictions[i], -bound, bound);
    const float t = std::clamp(truths[i], -bound, bound);
    if (round_half_even(p) == round_half_even(t)) ++hits;
  }
  return static_cast<double>(hits) / truths.size();
}

double pearson(const std::vector<float>& a, const std::vector<float>& b) {
  const size_t n = a.size();
  double mean_a = 0, mean_b = 0;
  for (size_t i = 0; i < n; ++i) {
    mean_a += a[i];
    mean_b += b[i];
  }
  mean_a /= n;
  mean_b /= n;
  double cov = 0, var_a = 0, var_b = 0;
  for (size_t i = 0; i < n; ++i) {
    const double da = a[i] - mean_a, db = b[i] - mean_b;
    cov += da * db;
    var_a += da * da;
    var_b += db * db;
  }
  if (var_a == 0 || var_b == 0) return kUndefinedMetric;
  return cov / std::sqrt(var_a * var_b);
}

// Accuracy and weighted F1 of "prediction is positive" against "truth is positive".
std::pair<double, double> binary_scores(const std::vector<int64_t>& predicted, const std::vector<int64_t>& truth) {
  if (truth.empty()) return {kUndefinedMetric, kUndefinedMetric};
  size_t hits = 0;
  for (size_t i = 0; i < truth.size(); ++i) hits += predicted[i] == truth[i];
  return {static_cast<double>(hits) / truth.size(), weighted_f1(predicted, truth, 2)};
}

}  // namespace

double round_half_even(double value) { return std::nearbyint(value); }  // default rounding mode: ties to even

MetricValues regression_metrics(const std::vector<float>& predictions, const std::vector<float>& truths) {
  if (predictions.size() != truths.size())
    throw std::invalid_argument("regression_metrics: predictions and truths differ in length");
  if (truths.empty()) throw std::invalid_argument("regression_metrics: no rows");

  std::vector<int64_t> has0_pred, has0_truth, non0_pred, non0_truth;
  double abs_error = 0;
  for (size_t i = 0; i < truths.size(); ++i) {
    has0_pred.push_back(predictions[i] >= 0);
    has0_truth.push_back(truths[i] >= 0);
    if (truths[i] != 0) {
      non0_pred.push_back(predictions[i] > 0);
      non0_truth.push_back(truths[i] > 0);
    }
    abs_error += std::fabs(static_cast<double>(predictions[i]) - truths[i]);
  }
  const auto [has0_acc, has0_f1] = binary_scores(has0_pred, has0_truth);
  const auto [non0_acc, non0_f1] = binary_scores(non0_pred, non0_truth);
  return {
      {"Has0_acc_2", has0_acc},
      {"Has0_F1_score", has0_f1},
      {"Non0_acc_2", non0_acc},
      {"Non0_F1_score", non0_f1},
      {"Mult_acc_5", multiclass_accuracy(predictions, truths, 2.0f)},
      {"Mult_acc_7", multiclass_accuracy(predictions, truths, 3.0f)},
      {"MAE", abs_error / truths.size()},
      {"Corr", pearson(predictions, truths)},
  };
}

}  // namespace daf
