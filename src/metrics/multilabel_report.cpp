#include "daf/metrics/multilabel_report.h"

#include <stdexcept>

namespace daf {
namespace {

// Mean of the defined (non-NaN) values; NaN when none is.
double defined_mean(const std::vector<double>& values) {
  double sum = 0;
  int64_t n = 0;
  for (const double v : values)
    if (!std::isnan(v)) {
      sum += v;
      ++n;
    }
  return n == 0 ? NAN : sum / static_cast<double>(n);
}

}  // namespace

MultilabelReport multilabel_report(const std::vector<std::vector<uint8_t>>& predicted,
                                   const std::vector<std::vector<uint8_t>>& truth) {
  if (truth.empty()) throw std::invalid_argument("multilabel_report: no rows");
  if (predicted.size() != truth.size()) throw std::invalid_argument("multilabel_report: row counts differ");
  const size_t labels = truth.front().size();
  MultilabelReport report;
  report.labels.resize(labels);
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i].size() != labels || predicted[i].size() != labels)
      throw std::invalid_argument("multilabel_report: row " + std::to_string(i) + " has another number of labels");
    for (size_t l = 0; l < labels; ++l) {
      LabelScores& s = report.labels[l];
      const bool t = truth[i][l] != 0, p = predicted[i][l] != 0;
      s.tp += t && p;
      s.fp += !t && p;
      s.fn += t && !p;
      s.tn += !t && !p;
    }
  }
  int64_t tp = 0, fp = 0, fn = 0;
  std::vector<double> accuracy, wa, f1;
  for (auto& s : report.labels) {
    s.positives = s.tp + s.fn;
    s.negatives = s.tn + s.fp;
    const auto n = static_cast<double>(s.positives + s.negatives);
    s.accuracy = static_cast<double>(s.tp + s.tn) / n;
    if (s.positives > 0 && s.negatives > 0)
      s.weighted_accuracy = (static_cast<double>(s.tp) * static_cast<double>(s.negatives) /
                                 static_cast<double>(s.positives) +
                             static_cast<double>(s.tn)) /
                            (2.0 * static_cast<double>(s.negatives));
    if (s.tp + s.fp + s.fn > 0) s.f1 = 2.0 * static_cast<double>(s.tp) / static_cast<double>(2 * s.tp + s.fp + s.fn);
    accuracy.push_back(s.accuracy);
    wa.push_back(s.weighted_accuracy);
    f1.push_back(s.f1);
    tp += s.tp;
    fp += s.fp;
    fn += s.fn;
  }
  report.accuracy = defined_mean(accuracy);
  report.weighted_accuracy = defined_mean(wa);
  report.f1_macro = defined_mean(f1);
  if (tp + fp + fn > 0) report.f1_micro = 2.0 * static_cast<double>(tp) / static_cast<double>(2 * tp + fp + fn);
  return report;
}

MetricValues MultilabelReport::metrics(const std::vector<std::string>& label_names) const {
  MetricValues out = {{"accuracy_mean", accuracy},
                      {"WA_mean", weighted_accuracy},
                      {"F1_macro", f1_macro},
                      {"F1_micro", f1_micro}};
  for (size_t l = 0; l < labels.size(); ++l) {
    const std::string name = l < label_names.size() ? label_names[l] : std::to_string(l);
    out.emplace_back(name + "_acc", labels[l].accuracy);
    out.emplace_back(name + "_WA", labels[l].weighted_accuracy);
    out.emplace_back(name + "_F1", labels[l].f1);
  }
  return out;
}

}  // namespace daf
