#include "daf/metrics/class_report.h"

#include <stdexcept>

namespace daf {

ClassReport class_report(const std::vector<int64_t>& predicted, const std::vector<int64_t>& truth,
                         int64_t num_classes) {
  if (predicted.size() != truth.size()) throw std::invalid_argument("class_report: lengths differ");
  if (truth.empty()) throw std::invalid_argument("class_report: no rows");
  const auto c = static_cast<size_t>(num_classes);
  ClassReport report;
  report.confusion.assign(c, std::vector<int64_t>(c, 0));
  int64_t hits = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] < 0 || truth[i] >= num_classes || predicted[i] < 0 || predicted[i] >= num_classes)
      throw std::invalid_argument("class_report: class out of range at row " + std::to_string(i));
    report.confusion[static_cast<size_t>(truth[i])][static_cast<size_t>(predicted[i])]++;
    hits += truth[i] == predicted[i];
  }
  report.accuracy = static_cast<double>(hits) / static_cast<double>(truth.size());
  report.classes.resize(c);
  double weighted = 0, macro = 0, recall_sum = 0;
  int64_t occurring = 0, in_truth = 0;
  for (size_t k = 0; k < c; ++k) {
    ClassScores& s = report.classes[k];
    for (size_t j = 0; j < c; ++j) {
      s.support += report.confusion[k][j];
      s.predicted += report.confusion[j][k];
    }
    const auto tp = static_cast<double>(report.confusion[k][k]);
    if (s.predicted > 0) s.precision = tp / static_cast<double>(s.predicted);
    if (s.support > 0) s.recall = tp / static_cast<double>(s.support);
    if (s.support + s.predicted > 0) s.f1 = 2 * tp / static_cast<double>(s.support + s.predicted);
    if (s.support + s.predicted == 0) continue;
    ++occurring;
    macro += s.f1;
    weighted += s.f1 * static_cast<double>(s.support);
    if (s.support > 0) {
      ++in_truth;
      recall_sum += s.recall;
    }
  }
  report.f1_weighted = weighted / static_cast<double>(truth.size());
  report.f1_macro = macro / static_cast<double>(occurring);
  report.uar = recall_sum / static_cast<double>(in_truth);
  return report;
}

MetricValues ClassReport::metrics(const std::vector<std::string>& class_names) const {
  MetricValues out = {{"accuracy", accuracy}, {"F1_weighted", f1_weighted}, {"F1_macro", f1_macro}, {"UAR", uar}};
  for (size_t k = 0; k < classes.size(); ++k) {
    const std::string name = k < class_names.size() ? class_names[k] : std::to_string(k);
    out.emplace_back("precision_" + name, classes[k].precision);
    out.emplace_back("recall_" + name, classes[k].recall);
    out.emplace_back("F1_" + name, classes[k].f1);
  }
  return out;
}

}  // namespace daf
