#pragma once
// plan.yaml in a sweep's output folder: the full run list and what the
// collect step needs, so `daf-ablate --collect DIR` works from files alone,
// on any machine that sees the folder.
#include <cstdint>
#include <string>
#include <vector>

namespace daf {

struct Sweep;

struct PlanCondition {
  std::string name;
  std::string fusion;
  std::vector<std::string> modalities;
  std::vector<std::string> evaluations;  // those that apply to its runs (rows of each ablation.csv)
};

struct PlanRun {
  std::string condition;
  int64_t seed = 0;
  std::string dir;  // relative to the output folder
  int64_t fold = 0;  // cross-validation: 1..folds
};

struct Plan {
  std::string task;  // regression | binary | seven_class
  std::vector<PlanCondition> conditions;
  std::vector<int64_t> seeds;
  std::vector<std::string> evaluations;  // "clean" first
  std::string reference, baseline;
  int64_t bootstrap = 0;
  std::string analysis;  // the sweep's `analysis:` section as YAML ("" without one)
  std::string cache;     // the runs' data.cache, absolute (the analysis reads its test split)
  int64_t folds = 0;     // cross-validation: the number of folds (runs are per fold; see pooled_runs)
  std::vector<std::string> pool;  // cross-validation: the cache splits pooled (cv.pool)
  std::vector<PlanRun> runs;
};

// Cross-validation: one run per (condition, seed) whose test predictions are those of
// every fold concatenated, <condition>/pooled/seed-<seed> (ablate/cv_pooling.h).
std::vector<PlanRun> pooled_runs(const Plan& plan);
std::string pooled_run_dir(const std::string& condition, int64_t seed);

Plan make_plan(const Sweep& sweep);
void write_plan(const std::string& path, const Plan& plan);
Plan read_plan(const std::string& path);

}  // namespace daf
