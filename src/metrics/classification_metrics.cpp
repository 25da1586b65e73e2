#include "daf/metrics/classification_metrics.h"

#include <algorithm>
#include <stdexcept>

#include "daf/metrics/regression_metrics.h"

namespace daf {
namespace {

struct ClassCounts {
  std::vector<int64_t> true_positive, predicted, support;
  std::vector<bool> occurs;  // in truth or prediction: the classes scikit-learn averages over
};

ClassCounts count_classes(const std::vector<int64_t>& predicted, const std::vector<int64_t>& truth,
                          int64_t num_classes) {
  if (predicted.size() != truth.size()) throw std::invalid_argument("classification metrics: length mismatch");
  const size_t c = static_cast<size_t>(num_classes);
  ClassCounts counts{std::vector<int64_t>(c), std::vector<int64_t>(c), std::vector<int64_t>(c),
                     std::vector<bool>(c)};
  for (size_t i = 0; i < truth.size(); ++i) {
    const auto t = static_cast<size_t>(truth[i]), p = static_cast<size_t>(predicted[i]);
    if (t >= c || p >= c) throw std::invalid_argument("classification metrics: class out of range");
    counts.support[t]++;
    counts.predicted[p]++;
    counts.occurs[t] = counts.occurs[p] = true;
    if (t == p) counts.true_positive[t]++;
  }
  return counts;
}

// F1 of one class; 0 where precision or recall is undefined (scikit-learn's zero_division=0).
double class_f1(const ClassCounts& counts, size_t k) {
  const double denominator = counts.predicted[k] + counts.support[k];
  return denominator == 0 ? 0.0 : 2.0 * counts.true_positive[k] / denominator;
}

}  // namespace

double weighted_f1(const std::vector<int64_t>& predicted, const std::vector<int64_t>& truth, int64_t num_classes) {
  const auto counts = count_classes(predicted, truth, num_classes);
  double sum = 0;
  int64_t total = 0;
  for (size_t k = 0; k < counts.support.size(); ++k) {
    sum += class_f1(counts, k) * counts.support[k];
    total += counts.support[k];
  }
  return total == 0 ? 0.0 : sum / total;
}

double macro_f1(const std::vector<int64_t>& predicted, const std::vector<int64_t>& truth, int64_t num_classes) {
  const auto counts = count_classes(predicted, truth, num_classes);
  double sum = 0;
  int classes = 0;
  for (size_t k = 0; k < counts.support.size(); ++k)
    if (counts.occurs[k]) {
      sum += class_f1(counts, k);
      ++classes;
    }
  return classes == 0 ? 0.0 : sum / classes;
}

ClassificationReport classification_metrics(const std::vector<int64_t>& predicted, const std::vector<int64_t>& truth,
                                            int64_t num_classes) {
  if (truth.empty()) throw std::invalid_argument("classification metrics: no rows");
  ClassificationReport report;
  report.confusion.assign(static_cast<size_t>(num_classes), std::vector<int64_t>(static_cast<size_t>(num_classes)));
  int64_t hits = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    report.confusion.at(static_cast<size_t>(truth[i])).at(static_cast<size_t>(predicted[i]))++;
    hits += truth[i] == predicted[i];
  }
  report.metrics = {{"accuracy", static_cast<double>(hits) / truth.size()},
                    {"F1_weighted", weighted_f1(predicted, truth, num_classes)},
                    {"F1_macro", macro_f1(predicted, truth, num_classes)}};
  return report;
}

int64_t sentiment_class(float score, int64_t num_classes) {
  if (num_classes == 2) return score >= 0 ? 1 : 0;
  if (num_classes == 7) return static_cast<int64_t>(round_half_even(std::clamp(score, -3.0f, 3.0f))) + 3;
  throw std::invalid_argument("sentiment_class: num_classes must be 2 or 7");
}

}  // namespace daf
