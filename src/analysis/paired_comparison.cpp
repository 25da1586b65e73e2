#include "daf/analysis/paired_comparison.h"

#include <cmath>
#include <functional>
#include <map>
#include <random>

#include "daf/config/task.h"
#include "daf/metrics/class_report.h"
#include "daf/metrics/classification_metrics.h"
#include "daf/metrics/multilabel_report.h"
#include "daf/util/csv.h"
#include "daf/util/error.h"

namespace daf {
namespace {

double mae(const RunPredictions& run, const Indices& rows) {
  double sum = 0;
  for (size_t i : rows) sum += std::fabs(static_cast<double>(run.prediction[i]) - run.truth[i]);
  return sum / static_cast<double>(rows.size());
}

double has0_f1(const RunPredictions& run, const Indices& rows) {
  std::vector<int64_t> predicted, truth;
  for (size_t i : rows) {
    predicted.push_back(run.prediction[i] >= 0);
    truth.push_back(run.truth[i] >= 0);
  }
  return weighted_f1(predicted, truth, 2);
}

std::vector<int64_t> class_column(const std::vector<float>& values, const Indices& rows) {
  std::vector<int64_t> out;
  for (size_t i : rows) out.push_back(static_cast<int64_t>(values[i]));
  return out;
}

double accuracy(const RunPredictions& run, const Indices& rows) {
  double hits = 0;
  for (size_t i : rows) hits += run.prediction[i] == run.truth[i];
  return hits / static_cast<double>(rows.size());
}

double class_f1(const RunPredictions& run, const Indices& rows) {
  return weighted_f1(class_column(run.prediction, rows), class_column(run.truth, rows), run.classes);
}

double uar(const RunPredictions& run, const Indices& rows) {
  return class_report(class_column(run.prediction, rows), class_column(run.truth, rows), run.classes).uar;
}

MultilabelReport label_report(const RunPredictions& run, const Indices& rows) {
  std::vector<std::vector<uint8_t>> predicted, truth;
  for (size_t i : rows) {
    predicted.emplace_back(), truth.emplace_back();
    for (size_t l = 0; l < run.width; ++l) {
      predicted.back().push_back(run.prediction[i * run.width + l] > 0.5f);
      truth.back().push_back(run.truth[i * run.width + l] > 0.5f);
    }
  }
  return multilabel_report(predicted, truth);
}

using MetricFn = std::function<double(const RunPredictions&, const Indices&)>;

std::vector<std::pair<std::string, MetricFn>> compared_metrics(const std::string& task) {
  if (task == "regression") return {{"MAE", mae}, {"Has0_F1_score", has0_f1}};
  if (task == "multiclass") return {{"UAR", uar}, {"accuracy", accuracy}, {"F1_weighted", class_f1}};
  if (task == "multilabel")
    return {{"WA_mean", [](const RunPredictions& r, const Indices& i) { return label_report(r, i).weighted_accuracy; }},
            {"F1_micro", [](const RunPredictions& r, const Indices& i) { return label_report(r, i).f1_micro; }}};
  return {{"accuracy", accuracy}, {"F1_weighted", class_f1}};
}

}  // namespace

RunPredictions read_predictions(const std::string& path, const std::string& task) {
  const CsvTable table = read_csv(path);
  const size_t id = table.column("id", path);
  // Which columns hold the truth and the prediction, by task.
  std::vector<size_t> truth, prediction;
  RunPredictions out;
  if (task == "regression") {
    truth = {table.column("label", path)};
    prediction = {table.column("prediction", path)};
  } else if (is_multilabel_task(task)) {
    for (size_t c = 0; c < table.header.size(); ++c)
      if (table.header[c].rfind("true_", 0) == 0) {
        truth.push_back(c);
        prediction.push_back(table.column("predicted_" + table.header[c].substr(5), path));
      }
    if (truth.empty()) throw InputError(path + ": no true_<label> columns (a multilabel task's predictions)");
    out.width = truth.size();
  } else {
    truth = {table.column("true_class", path)};
    prediction = {table.column("predicted_class", path)};
    for (const auto& name : table.header) out.classes += name.rfind("probability_", 0) == 0;
    if (out.classes == 0) out.classes = task == "binary" ? 2 : 7;  // written before probabilities were
  }
  std::vector<std::pair<std::string, size_t>> weight_columns;
  for (size_t c = 0; c < table.header.size(); ++c)
    if (table.header[c].rfind("weight_", 0) == 0) weight_columns.emplace_back(table.header[c].substr(7), c);
  for (const auto& row : table.rows) {
    for (const auto& [modality, c] : weight_columns)
      out.weights[modality].push_back(row[c].empty() ? std::nanf("") : std::stof(row[c]));
    out.ids.push_back(row[id]);
    for (size_t k = 0; k < truth.size(); ++k) {
      out.truth.push_back(std::stof(row[truth[k]]));
      out.prediction.push_back(std::stof(row[prediction[k]]));
    }
  }
  return out;
}

double run_metric(const std::string& metric, const std::string& task, const RunPredictions& run, const Indices& rows) {
  if (rows.empty()) return std::nan("");
  for (const auto& [name, fn] : compared_metrics(task))
    if (name == metric) return fn(run, rows);
  throw InputError("no metric '" + metric + "' for a " + task + " task");
}

bool lower_is_better(const std::string& metric) { return metric == "MAE" || metric == "loss"; }

std::vector<MetricComparison> compare_conditions(const std::map<int64_t, RunPredictions>& reference,
                                                 const std::map<int64_t, RunPredictions>& baseline,
                                                 const std::string& task, int64_t resamples, const Indices* subset,
                                                 bool primary_only, const std::vector<int64_t>* strata) {
  std::vector<int64_t> seeds;
  for (const auto& [seed, run] : reference) {
    const auto other = baseline.find(seed);
    if (other == baseline.end()) continue;
    if (other->second.ids != run.ids)
      throw InputError("compare: the runs of seed " + std::to_string(seed) + " were scored on different utterances");
    seeds.push_back(seed);
  }
  std::vector<MetricComparison> out;
  if (seeds.empty()) return out;
  Indices all(reference.at(seeds.front()).ids.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  if (subset) all = *subset;
  const size_t n = all.size();
  if (n == 0) return out;
  // Positions of `all` by stratum: a draw replaces each position by one of its own stratum.
  std::map<int64_t, std::vector<size_t>> members;
  for (size_t p = 0; p < n; ++p) members[strata ? strata->at(all[p]) : 0].push_back(all[p]);
  for (const auto& [name, metric] : compared_metrics(task)) {
    if (primary_only && name != primary_metric(task)) continue;
    MetricComparison c;
    c.metric = name;
    c.seeds = seeds;
    for (int64_t seed : seeds) {
      c.reference.push_back(metric(reference.at(seed), all));
      c.baseline.push_back(metric(baseline.at(seed), all));
      c.difference.push_back(c.reference.back() - c.baseline.back());
    }
    c.t_test = paired_t_test(c.difference);
    // Resample utterances (the same draw for every seed), average the difference over seeds.
    std::mt19937_64 rng(20250926);
    std::vector<double> draws;
    Indices rows;
    rows.reserve(n);
    for (int64_t b = 0; b < resamples; ++b) {
      rows.clear();
      for (const auto& [stratum, group] : members) {
        std::uniform_int_distribution<size_t> pick(0, group.size() - 1);
        for (size_t k = 0; k < group.size(); ++k) rows.push_back(group[pick(rng)]);
      }
      double sum = 0;
      for (int64_t seed : seeds) sum += metric(reference.at(seed), rows) - metric(baseline.at(seed), rows);
      draws.push_back(sum / static_cast<double>(seeds.size()));
    }
    c.bootstrap = percentile_interval(draws, 0.95);
    out.push_back(c);
  }
  return out;
}

}  // namespace daf
