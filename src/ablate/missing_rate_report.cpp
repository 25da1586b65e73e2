// The evaluate.missing_rate section of a sweep's report: the primary metric
// at each missing rate, MultiBench's relative and effective robustness per
// seed (mean ± std over seeds), and a plot of metric vs rate.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "collected_runs.h"
#include "daf/config/config.h"
#include "daf/metrics/robustness.h"
#include "daf/report/markdown_table.h"
#include "daf/report/plots.h"
#include "daf/util/atomic_file.h"
#include "daf/util/csv.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

const std::string kPrefix = "missing-";

struct Curve {
  std::string modality;                      // a modality, or "any"
  std::vector<double> rates;                 // 0 (clean) first
  std::vector<std::string> evaluations;      // "clean", then "missing-<m>-<rate>"
};

// "missing-<modality>-<rate>" names, grouped by modality in plan order, rates ascending.
std::vector<Curve> curves_of(const Plan& plan) {
  std::vector<Curve> curves;
  for (const auto& eval : plan.evaluations) {
    if (!is_missing_rate_eval(eval)) continue;
    const size_t dash = eval.rfind('-');
    const std::string modality = eval.substr(kPrefix.size(), dash - kPrefix.size());
    auto curve = std::find_if(curves.begin(), curves.end(), [&](const Curve& c) { return c.modality == modality; });
    if (curve == curves.end()) curve = curves.insert(curves.end(), Curve{modality, {0.0}, {"clean"}});
    curve->rates.push_back(std::stod(eval.substr(dash + 1)));
    curve->evaluations.push_back(eval);
  }
  return curves;
}

// One seed's curve of `metric`; empty when a point of it is missing.
std::vector<double> seed_curve(const Collected& c, const std::string& condition, const Curve& curve,
                               const std::string& metric, int64_t seed) {
  std::vector<double> values;
  for (const auto& eval : curve.evaluations) {
    const auto by_eval = c.by_seed.find(condition);
    if (by_eval == c.by_seed.end() || !by_eval->second.count(eval)) return {};
    const auto& by_column = by_eval->second.at(eval);
    const auto column = by_column.find(metric);
    if (column == by_column.end() || !column->second.count(seed)) return {};
    values.push_back(column->second.at(seed));
  }
  return values;
}

struct Robustness {
  MeanStd relative, effective;
};

Robustness robustness_of(const Plan& plan, const Collected& c, const std::string& condition, const Curve& curve,
                         const std::string& metric) {
  std::vector<double> relative, effective;
  for (const int64_t seed : plan.seeds) {
    const auto f = seed_curve(c, condition, curve, metric, seed);
    if (f.empty()) continue;
    relative.push_back(relative_robustness(curve.rates, f));
    if (plan.baseline.empty()) continue;
    const auto b = seed_curve(c, plan.baseline, curve, metric, seed);
    if (!b.empty()) effective.push_back(effective_robustness(f, b));
  }
  return {mean_std(relative), mean_std(effective)};
}

void plot_curves(const Plan& plan, const Collected& c, const std::vector<Curve>& curves, const std::string& metric,
                 const std::string& dir) {
  std::vector<LinePanel> panels;
  for (const auto& curve : curves) {
    LinePanel panel{curve.modality == "any" ? "any modality missing" : curve.modality + " missing", {}};
    for (const auto& condition : plan.conditions) {
      LineSeries series{condition.name, {}, {}, {}};
      for (size_t i = 0; i < curve.rates.size(); ++i) {
        const MeanStd s = stats_of(c, condition.name, curve.evaluations[i], metric);
        if (s.n == 0) continue;
        series.x.push_back(curve.rates[i]);
        series.y.push_back(s.mean);
        series.err.push_back(s.std);
      }
      if (series.x.size() == curve.rates.size()) panel.series.push_back(series);
    }
    if (!panel.series.empty()) panels.push_back(panel);
  }
  if (panels.empty()) return;
  std::filesystem::create_directories(dir + "/plots");
  plot_lines(dir + "/plots/missing-rate.png", "missing rate (a modality: fraction of test utterances; any: per modality)",
             "test " + metric + " (mean ± std over seeds)", panels);
}

}  // namespace

bool is_missing_rate_eval(const std::string& eval) { return eval.rfind(kPrefix, 0) == 0; }

std::string missing_rate_section(const Plan& plan, const Collected& c, const std::string& dir, bool plots) {
  const auto curves = curves_of(plan);
  if (curves.empty()) return "";
  const std::string metric = primary_metric(plan.task);
  std::string points = "condition,modality,rate,metric,mean,std,seeds\n";
  std::string summary = "condition,modality,metric,relative_robustness_mean,relative_robustness_std,"
                        "effective_robustness_mean,effective_robustness_std,effective_reference,seeds\n";
  std::string md = "\n## Missing modalities: test " + metric + " at each missing rate\n\n"
                   "Each trained model evaluated with that fraction of the test utterances missing the modality "
                   "(`any`: every utterance loses each modality with that probability, never all of them); the "
                   "same utterances for every condition and seed (docs/ablation.md). Relative robustness: area "
                   "under the curve from rate 0 (clean); effective robustness: the curve's fall from its clean "
                   "value against the fall of " +
                   (plan.baseline.empty() ? std::string("a baseline (none set: compare.baseline)")
                                          : "`" + plan.baseline + "`") +
                   ", summed over the rates (MultiBench's definitions); both per seed, then mean ± std." +
                   (metric_higher_is_better(metric) ? "" : " " + metric + " is lower-better: so are both.") + "\n";
  for (const auto& curve : curves) {
    std::vector<std::string> header = {"condition"};
    for (const double r : curve.rates) header.push_back(r == 0 ? "0 (clean)" : format_number(r));
    header.push_back("relative robustness");
    header.push_back("effective robustness");
    MarkdownTable table(header);
    for (const auto& condition : plan.conditions) {
      if (stats_of(c, condition.name, curve.evaluations.back(), metric).n == 0) continue;  // does not apply
      std::vector<std::string> row = {condition.name};
      for (size_t i = 0; i < curve.rates.size(); ++i) {
        const MeanStd s = stats_of(c, condition.name, curve.evaluations[i], metric);
        row.push_back(s.n == 0 ? "n/a" : cell(s));
        points += csv_field(condition.name) + "," + curve.modality + "," + format_number(curve.rates[i]) + "," +
                  metric + "," + format_number(s.mean) + "," + format_number(s.std) + "," + std::to_string(s.n) + "\n";
      }
      const Robustness r = robustness_of(plan, c, condition.name, curve, metric);
      row.push_back(r.relative.n == 0 ? "n/a" : cell(r.relative));
      row.push_back(condition.name == plan.baseline ? "0 (the reference)"
                    : r.effective.n == 0                ? "n/a"
                                                        : cell(r.effective));
      table.add_row(row);
      summary += csv_field(condition.name) + "," + curve.modality + "," + metric + "," +
                 format_number(r.relative.mean) + "," + format_number(r.relative.std) + "," +
                 format_number(r.effective.mean) + "," + format_number(r.effective.std) + "," +
                 csv_field(plan.baseline) + "," + std::to_string(r.relative.n) + "\n";
    }
    md += "\n### " + (curve.modality == "any" ? std::string("any modality") : curve.modality) + " missing\n\n" +
          table.str();
  }
  write_file_atomic(dir + "/missing_rate.csv", points);
  write_file_atomic(dir + "/missing_robustness.csv", summary);
  if (plots && gnuplot_available()) {
    plot_curves(plan, c, curves, metric, dir);
    if (std::filesystem::exists(dir + "/plots/missing-rate.png"))
      md += "\n![test " + metric + " vs missing rate](plots/missing-rate.png)\n";
  }
  return md;
}

}  // namespace daf
