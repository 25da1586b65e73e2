#pragma once
// What daf-ablate's collect step read from the runs' ablation.csv files,
// shared by the report sections (collect.cpp, missing_rate_report.cpp).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "daf/ablate/plan.h"
#include "daf/analysis/slices.h"
#include "daf/config/task.h"
#include "daf/metrics/statistics.h"

namespace daf {

// Per condition, per evaluation, per column: one value per seed (seed order of the plan).
using CollectedValues = std::map<std::string, std::map<std::string, std::map<std::string, std::vector<double>>>>;
// The same, keyed by seed, for statistics paired across conditions.
using CollectedBySeed =
    std::map<std::string, std::map<std::string, std::map<std::string, std::map<int64_t, double>>>>;

struct Collected {
  std::vector<std::string> metrics;     // metric columns, in ablation.csv order
  std::vector<std::string> modalities;  // union, for weight columns
  CollectedValues values;               // metrics and weight_<m>
  CollectedBySeed by_seed;
  std::string runs_csv;
};

MeanStd stats_of(const Collected& c, const std::string& condition, const std::string& eval, const std::string& column);
// "mean ± std" with 4 decimals.
std::string cell(const MeanStd& s);

// The evaluate.missing_rate section of summary.md (missing_rate.csv,
// missing_robustness.csv, plots/missing-rate.png); "" when the sweep has none.
std::string missing_rate_section(const Plan& plan, const Collected& c, const std::string& dir, bool plots);
// The sweep's slice analysis (analysis.csv, top_utterances.csv, plots/analysis-*.png);
// "" when the sweep has no `analysis:` section (analysis_report.cpp).
std::string analysis_section(const Plan& plan, const std::string& dir, bool plots);
// Cross-validation: the fold runs' clean test metrics (fold_report.cpp).
struct FoldMetrics {
  std::vector<std::string> metrics;  // ablation.csv order
  std::map<std::string, std::map<std::string, std::map<int64_t, std::vector<double>>>> values;  // condition, metric, fold
  std::string csv;                   // folds.csv: condition,fold,seed,<metrics>
  MeanStd fold_mean(const std::string& condition, const std::string& metric, int64_t fold) const;  // over seeds
  // Mean ± sample std over folds of the per-fold means over seeds.
  MeanStd over_folds(const std::string& condition, const std::string& metric, int64_t folds) const;
};
FoldMetrics read_fold_metrics(const Plan& plan, const std::string& dir);
// Each fold's primary metric, the mean ± sample std over folds next to the pooled value
// (`pooled`: the pooled runs); writes folds.csv and plots/folds.png; "" without folds.
std::string fold_section(const Plan& plan, const FoldMetrics& folds, const Collected& pooled, const std::string& dir,
                         bool plots);
// Every finished run's test predictions (cross-validation: pass the pooled runs' plan), with
// the cache's test split columns in their order (labels, meta, present masks) and its
// transcripts; data.conditions is empty when no run has finished. A cache that is not there:
// InputError with `require_cache` (the analysis needs its columns), else cache_missing.
struct SweepPredictions {
  SliceData data;
  std::vector<std::string> transcripts;
  std::vector<std::string> names;  // the runs' class names (class tasks) or label names (multilabel)
  bool cache_missing = false;
};
SweepPredictions read_sweep_predictions(const Plan& plan, const std::string& dir, bool require_cache);
// The slices of the sweep's `analysis:` section ({} without one).
std::vector<Slice> sweep_slices(const Plan& plan, const std::string& dir, const SliceData& data);
// Whether an evaluation name belongs to the missing-rate protocol.
bool is_missing_rate_eval(const std::string& eval);

}  // namespace daf
