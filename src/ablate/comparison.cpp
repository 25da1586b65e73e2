#include "daf/ablate/comparison.h"

#include <cmath>
#include <functional>
#include <random>

#include "daf/metrics/classification_metrics.h"
#include "daf/model/model_metadata.h"
#include "daf/util/csv.h"
#include "daf/util/error.h"

namespace daf {
namespace {

using Indices = std::vector<size_t>;

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

double accuracy(const RunPredictions& run, const Indices& rows, int64_t classes) {
  double hits = 0;
  for (size_t i : rows) hits += static_cast<int64_t>(run.prediction[i]) == sentiment_class(run.truth[i], classes);
  return hits / static_cast<double>(rows.size());
}

double class_f1(const RunPredictions& run, const Indices& rows, int64_t classes) {
  std::vector<int64_t> predicted, truth;
  for (size_t i : rows) {
    predicted.push_back(static_cast<int64_t>(run.prediction[i]));
    truth.push_back(sentiment_class(run.truth[i], classes));
  }
  return weighted_f1(predicted, truth, classes);
}

using MetricFn = std::function<double(const RunPredictions&, const Indices&)>;

std::vector<std::pair<std::string, MetricFn>> compared_metrics(const std::string& task) {
  if (task == "regression") return {{"MAE", mae}, {"Has0_F1_score", has0_f1}};
  const int64_t classes = task_num_outputs(task);
  return {{"accuracy", [classes](const RunPredictions& r, const Indices& i) { return accuracy(r, i, classes); }},
          {"F1_weighted", [classes](const RunPredictions& r, const Indices& i) { return class_f1(r, i, classes); }}};
}

}  // namespace

RunPredictions read_predictions(const std::string& path, const std::string& task) {
  const CsvTable table = read_csv(path);
  const size_t id = table.column("id", path), label = table.column("label", path);
  const size_t prediction = table.column(task == "regression" ? "prediction" : "predicted_class", path);
  RunPredictions out;
  for (const auto& row : table.rows) {
    out.ids.push_back(row[id]);
    out.truth.push_back(std::stof(row[label]));
    out.prediction.push_back(std::stof(row[prediction]));
  }
  return out;
}

std::vector<MetricComparison> compare_conditions(const std::map<int64_t, RunPredictions>& reference,
                                                 const std::map<int64_t, RunPredictions>& baseline,
                                                 const std::string& task, int64_t resamples) {
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
  const size_t n = reference.at(seeds.front()).ids.size();
  Indices all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  for (const auto& [name, metric] : compared_metrics(task)) {
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
    std::uniform_int_distribution<size_t> pick(0, n - 1);
    std::vector<double> draws;
    Indices rows(n);
    for (int64_t b = 0; b < resamples; ++b) {
      for (auto& r : rows) r = pick(rng);
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
