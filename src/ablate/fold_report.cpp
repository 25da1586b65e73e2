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

// Cross-validation: each fold's clean test metric (mean over seeds), and the mean ±
// sample std over folds next to the pooled value of summary.csv; folds.csv has every
// run's clean metrics.
std::string fold_section(const Plan& plan, const Collected& pooled, const std::string& dir, bool plots) {
  if (plan.folds == 0) return "";
  std::vector<std::string> metrics;
  std::string csv;
  // [condition][fold] -> values over seeds, of the primary metric
  std::map<std::string, std::map<int64_t, std::vector<double>>> primary;
  const std::string metric = primary_metric(plan.task);
  for (const auto& run : plan.runs) {
    const std::string path = dir + "/" + run.dir + "/ablation.csv";
    if (!fs::exists(path)) continue;
    const CsvTable table = read_csv(path);
    if (metrics.empty()) {
      for (size_t i = 1; i < table.header.size(); ++i)
        if (table.header[i].rfind("weight_", 0) != 0) metrics.push_back(table.header[i]);
      csv = "condition,fold,seed," + join(metrics, ",") + "\n";
    }
    const auto& clean = table.rows.front();  // "clean" first (checked with the runs)
    csv += csv_field(run.condition) + "," + std::to_string(run.fold) + "," + std::to_string(run.seed);
    for (const auto& m : metrics) csv += "," + clean[table.column(m, path)];
    csv += "\n";
    primary[run.condition][run.fold].push_back(std::stod(clean[table.column(metric, path)]));
  }
  if (metrics.empty()) return "";
  write_file_atomic(dir + "/folds.csv", csv);
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
    std::vector<double> fold_means;
    for (int64_t f = 1; f <= plan.folds; ++f) {
      const auto& values = primary[condition.name][f];
      const MeanStd s = mean_std(values);
      row.push_back(values.empty() ? "n/a" : format_fixed(s.mean, 4));
      if (!values.empty()) fold_means.push_back(s.mean);
      clusters[static_cast<size_t>(f - 1)].mean.push_back(values.empty() ? std::nan("") : s.mean);
      clusters[static_cast<size_t>(f - 1)].std.push_back(values.empty() ? 0 : (std::isnan(s.std) ? 0 : s.std));
    }
    row.push_back(fold_means.empty() ? "n/a" : cell(mean_std(fold_means)));
    row.push_back(cell(stats_of(pooled, condition.name, "clean", metric)));
    table.add_row(row);
  }
  std::string md = "\n## Per fold: test " + metric + " (mean over seeds)\n\n" + std::to_string(plan.folds) +
                   " folds (folds.yaml lists the groups of each). Pooled: every fold's test predictions "
                   "concatenated, then " + metric + " over all of them, per seed (the summary table above); per "
                   "fold: " + metric + " within each fold, then mean ± sample std over folds. folds.csv has every "
                   "run's metrics.\n\n" + table.str();
  if (plots && gnuplot_available()) {
    fs::create_directories(dir + "/plots");
    plot_clustered_bars(dir + "/plots/folds.png", "test " + metric + " per fold (mean ± std over seeds)", metric,
                        series, clusters);
    md += "\n![test " + metric + " per fold](plots/folds.png)\n";
  }
  return md;
}

}  // namespace daf
