// The per-fold section of a cross-validated sweep's summary.md (folds.csv,
// plots/folds.png); the pooled runs are reported by the other sections.
#include <cmath>
#include <filesystem>
#include <map>

#include "collected_runs.h"
#include "daf/report/markdown_table.h"
#include "daf/report/plots.h"
#include "daf/util/atomic_file.h"
#include "daf/util/csv.h"
#include "daf/util/strings.h"

namespace daf {
namespace fs = std::filesystem;

FoldMetrics read_fold_metrics(const Plan& plan, const std::string& dir) {
  FoldMetrics out;
  for (const auto& run : plan.runs) {
    const std::string path = dir + "/" + run.dir + "/ablation.csv";
    if (run.fold == 0 || !fs::exists(path)) continue;
    const CsvTable table = read_csv(path);
    if (out.metrics.empty()) {
      for (size_t i = 1; i < table.header.size(); ++i)
        if (table.header[i].rfind("weight_", 0) != 0) out.metrics.push_back(table.header[i]);
      out.csv = "condition,fold,seed," + join(out.metrics, ",") + "\n";
    }
    const auto& clean = table.rows.front();  // "clean" first (checked with the runs)
    out.csv += csv_field(run.condition) + "," + std::to_string(run.fold) + "," + std::to_string(run.seed);
    for (const auto& m : out.metrics) {
      const std::string& text = clean[table.column(m, path)];
      out.csv += "," + text;
      out.values[run.condition][m][run.fold].push_back(std::stod(text));
    }
    out.csv += "\n";
  }
  return out;
}

MeanStd FoldMetrics::fold_mean(const std::string& condition, const std::string& metric, int64_t fold) const {
  const auto c = values.find(condition);
  if (c == values.end()) return mean_std({});
  const auto m = c->second.find(metric);
  if (m == c->second.end()) return mean_std({});
  const auto f = m->second.find(fold);
  return f == m->second.end() ? mean_std({}) : mean_std(f->second);
}

MeanStd FoldMetrics::over_folds(const std::string& condition, const std::string& metric, int64_t folds) const {
  std::vector<double> means;
  for (int64_t f = 1; f <= folds; ++f) {
    const MeanStd s = fold_mean(condition, metric, f);
    if (s.n > 0) means.push_back(s.mean);
  }
  return mean_std(means);
}

// Each fold's primary metric (mean over seeds), the mean ± sample std over folds next to
// the pooled value; folds.csv has every run's clean metrics.
std::string fold_section(const Plan& plan, const FoldMetrics& folds, const Collected& pooled, const std::string& dir,
                         bool plots) {
  if (plan.folds == 0 || folds.metrics.empty()) return "";
  write_file_atomic(dir + "/folds.csv", folds.csv);
  const std::string metric = primary_metric(plan.task);
  std::vector<std::string> header = {"condition"};
  for (int64_t f = 1; f <= plan.folds; ++f) header.push_back("fold " + std::to_string(f));
  header.push_back("mean ± std over folds");
  header.push_back("pooled (mean ± std over seeds)");
  MarkdownTable table(header);
  std::vector<BarCluster> clusters;
  std::vector<std::string> series;
  for (const auto& condition : plan.conditions) series.push_back(condition.name);
  for (int64_t f = 1; f <= plan.folds; ++f) clusters.push_back({"fold " + std::to_string(f), {}, {}});
  for (const auto& condition : plan.conditions) {
    std::vector<std::string> row = {condition.name};
    for (int64_t f = 1; f <= plan.folds; ++f) {
      const MeanStd s = folds.fold_mean(condition.name, metric, f);
      row.push_back(s.n == 0 ? "n/a" : format_fixed(s.mean, 4));
      clusters[static_cast<size_t>(f - 1)].mean.push_back(s.n == 0 ? std::nan("") : s.mean);
      clusters[static_cast<size_t>(f - 1)].std.push_back(s.n == 0 || std::isnan(s.std) ? 0 : s.std);
    }
    const MeanStd over = folds.over_folds(condition.name, metric, plan.folds);
    row.push_back(over.n == 0 ? "n/a" : cell(over));
    row.push_back(cell(stats_of(pooled, condition.name, "clean", metric)));
    table.add_row(row);
  }
  std::string md = "\n## Per fold: test " + metric + " (mean over seeds)\n\n" + std::to_string(plan.folds) +
                   " folds (folds.yaml lists the groups of each). Pooled: every fold's test predictions "
                   "concatenated, then " + metric + " over all of them, per seed (the summary table above); per "
                   "fold: " + metric + " within each fold, then mean ± sample std over folds (summary.csv: "
                   "<metric>_folds_mean, _folds_std). folds.csv has every run's metrics.\n\n" + table.str();
  if (plots && gnuplot_available()) {
    fs::create_directories(dir + "/plots");
    plot_clustered_bars(dir + "/plots/folds.png", "test " + metric + " per fold (mean ± std over seeds)", metric,
                        series, clusters);
    md += "\n![test " + metric + " per fold](plots/folds.png)\n";
  }
  return md;
}

}  // namespace daf
