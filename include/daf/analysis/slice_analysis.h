#pragma once
// Per-slice statistics (slices.h): where does the reference condition (DAF)
// beat the baseline (static fusion), and does the gain depend on the slice?
// Per slice: n; each condition's primary metric, mean ± std over seeds,
// computed within the slice as over a whole split (NaN where undefined); the
// paired comparison of reference and baseline within the slice (per-seed
// differences, t-test over seeds, bootstrap CI over the slice's utterances,
// the resampling of paired_comparison.h); each gated condition's mean fusion
// weights. Per family: a permutation test of the slice labels for the
// interaction (does the difference depend on the slice?).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "daf/analysis/slices.h"
#include "daf/metrics/statistics.h"

namespace daf {

struct SliceConditionResult {
  MeanStd metric;                        // over seeds
  std::map<std::string, double> weights; // mean fusion weight per modality (gated conditions)
};

struct SliceResult {
  Slice slice;
  std::map<std::string, SliceConditionResult> conditions;
  bool compared = false;                 // false: empty slice, or no paired runs
  MetricComparison comparison;           // the primary metric, reference - baseline
};

// The interaction test of one family: T = sum_k n_k (d_k - d)^2 over its non-empty slices,
// d_k the seed-averaged difference in slice k and d their n-weighted mean; p = (1 + #{T* >= T})
// / (1 + permutations), T* with the slice labels of the family's utterances permuted (sizes kept).
struct InteractionTest {
  std::string family;
  double statistic = 0;
  double p = 0;        // NaN with fewer than two non-empty slices
  int64_t permutations = 0;
};

struct SliceAnalysis {
  std::string metric;                    // the task's primary metric
  std::string reference, baseline;
  int64_t bootstrap = 0;
  std::vector<SliceResult> slices;
  std::vector<InteractionTest> tests;
  std::vector<std::string> conditions;   // in table order
  std::string scope = "test split";      // what the predictions are (cross-validation: the test folds pooled)
};

SliceAnalysis analyse_slices(const SliceSettings& settings, const SliceData& data,
                             const std::vector<std::string>& conditions, const std::string& reference,
                             const std::string& baseline, int64_t bootstrap);

// The interaction statistic of `slices` (row sets) for the seeds both conditions have.
double interaction_statistic(const std::map<int64_t, RunPredictions>& reference,
                             const std::map<int64_t, RunPredictions>& baseline, const std::string& task,
                             const std::vector<Indices>& slices);
InteractionTest interaction_test(const std::string& family, const std::map<int64_t, RunPredictions>& reference,
                                 const std::map<int64_t, RunPredictions>& baseline, const std::string& task,
                                 const std::vector<Indices>& slices, int64_t permutations);

// analysis.csv: one row per slice x condition.
std::string analysis_csv(const SliceAnalysis& analysis);
// The summary.md section: one table per family, the interaction test, and in words which slice
// gains most and whether the test supports that the gain depends on the slice.
std::string analysis_markdown(const SliceAnalysis& analysis, const std::string& plots_dir);
// top_utterances.csv: the `top` utterances where the reference beats the baseline most, then least.
std::string top_utterances_csv(const SliceData& data, const std::vector<std::string>& conditions,
                               const std::string& reference, const std::string& baseline, int64_t top,
                               const std::vector<std::string>& transcripts);
// Per family, into `dir`: a forest plot of the paired difference per slice, each condition's metric
// per slice (clustered bars) and the reference's fusion weights per slice (stacked bars, where it
// has them); returns the files' names.
std::vector<std::string> plot_slice_analysis(const SliceAnalysis& analysis, const std::string& dir);

}  // namespace daf
