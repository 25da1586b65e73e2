#pragma once
// A sweep: the conditions of an ablation table, each trained with several
// seeds and evaluated under robustness conditions. Defined in YAML:
//
//   base: demo.yaml                 # base config, relative to the sweep file
//   base_config: {...}              #   ... or embedded instead of `base`
//   set: {train.max_epochs: 20}     # applied to every run
//   conditions:                     # named conditions, each with its own settings
//     - {name: dynamic, set: {model.fusion: dynamic}}
//   grid:                           # and/or a cartesian product of values
//     model.fusion: [dynamic, static]
//   exclude: [{model.fusion: static, data.modalities: [text]}]
//   seeds: [1111, 1112, 1113]
//   evaluate:                       # robustness conditions for every trained model
//     mask: [text, audio]           #   one modality missing
//     noise: {modalities: [text], std: [0.5, 1.0]}   # Gaussian noise on one modality
//   compare: {reference: dynamic, baseline: static, bootstrap: 1000}
//   analysis: {slices: {conflict: {between: [text, audio]}, degraded: true}}   # where reference beats baseline
//   output: runs/ablate-demo
//
// A sweep with a `search:` section (docs/ablation.md, "Search") draws its
// trial conditions from a space instead; see SearchSettings.
#include <cstdint>
#include <string>
#include <vector>

#include "daf/analysis/slices.h"
#include "daf/config/config.h"
#include "daf/folds/cv_folds.h"
#include "daf/search/space.h"
#include "daf/util/shard.h"  // parse_shard, for --shard

namespace daf {

struct SweepCondition {
  std::string name;
  std::vector<std::string> overrides;  // "section.key=value", after the sweep's `set`
};

// A hyper-parameter search: `trials` conditions drawn from `space`, trained
// with the sweep's seeds and ranked on the validation split; then the `top`
// of them (conditions best-1 .. best-K) and the sweep's own conditions are
// trained with `final_seeds` and scored on the test split.
struct SearchSettings {
  std::vector<SearchDimension> space;
  int64_t trials = 0;
  std::string sampler = "random";  // random | sobol
  uint64_t seed = 0;
  std::string metric;              // validation metric the trials are ranked on
  int64_t top = 1;
  std::vector<int64_t> final_seeds;
  int64_t halving_min_epochs = 0;  // > 0: successive halving (search/halving.h)
  int64_t halving_eta = 3;
  std::vector<SweepCondition> trial_conditions;  // "trial-001" ...: one override per space key
};

// How one trained model is evaluated besides the clean test split.
struct EvalCondition {
  std::string name;          // "clean", "mask-audio", "noise-text-0.5", "missing-audio-0.3", "missing-any-0.5"
  std::string modality;      // masked, noised or missing modality ("" for clean; "any" for missing-any)
  bool mask = false;
  double noise_std = 0;
  double missing_rate = 0;   // > 0: the missing-rate protocol (eval/missing_masks.h)
};

// Whether an evaluation condition applies to a run with these modalities: one
// that perturbs a modality the run does not use, or masks its only one, does not.
bool evaluation_applies(const EvalCondition& evaluation, const std::vector<std::string>& modalities);

struct SweepRun {
  std::string condition;
  int64_t seed = 0;
  std::string dir;  // <output>/<condition>/seed-<seed>; cross-validated: <output>/<condition>/fold-<f>/seed-<seed>
  Config config;    // fully resolved
  int64_t fold = 0;  // 1..k under cross-validation (config.data.split_file names the fold's parts), else 0
};

struct Sweep {
  std::string source;                      // the sweep file
  std::string base_text, base_origin;      // base config YAML and where it came from
  std::vector<std::string> common;         // the sweep's `set`
  std::vector<SweepCondition> conditions;  // in table order
  std::vector<int64_t> seeds;
  std::vector<EvalCondition> evaluations;  // "clean" first
  std::string reference, baseline;         // paired comparison; empty when not applicable
  int64_t bootstrap = 1000;
  std::string output;
  SliceSettings analysis;   // the `analysis:` section (analysis.enabled(): present)
  std::string analysis_yaml;  // ... as written, for plan.yaml
  CvFolds cv;  // the base config's cv section resolved over the cache (cv.count() == 0: no cross-validation)
  bool has_search = false;
  SearchSettings search;  // when has_search: `seeds` are the trials' seeds, `conditions` run in the final step

  // Every (condition, seed) in a fixed order: conditions, then seeds; under cross-validation
  // every (condition, fold, seed): conditions, then folds, then seeds.
  std::vector<SweepRun> runs() const;
  Config condition_config(const SweepCondition& condition, int64_t seed, const std::string& dir) const;
  // A search's trial runs: every trial with every seed (and fold), in <output>/trials/<trial>/seed-<seed>
  // (<output>/trials/<trial>/fold-<f>/seed-<seed>).
  std::vector<SweepRun> trial_runs() const;
  // The run folders of one condition folder, in runs() order: <dir>/seed-<s>, or under
  // cross-validation <dir>/fold-<f>/seed-<s>, folds first.
  std::vector<std::string> run_dirs(const std::string& condition_dir) const;
};

// How many times a sharded sweep's array must run before --collect: 1; a
// search 2 (trials, final stage); with halving one per rung, plus the final
// stage. (A shard that finds a stage unfinished in other shards stops after
// its own part; every run of the array completes at least one stage.)
int64_t array_stages(const Sweep& sweep);

// The name of the final condition of rank k (1-based): "best-1".
std::string best_condition_name(int64_t rank);

// Parses and validates a sweep: every condition's config must resolve, every
// modality must be in the cache, before anything runs. Errors name the sweep
// file and the condition or grid entry. `overrides` (section.key=value) set config keys
// of every run, or, for the sweep's own keys (search.*, compare.*, evaluate, seeds and
// output alone; output.log_level is a config key), the sweep file's value.
Sweep load_sweep(const std::string& path, const std::vector<std::string>& overrides = {});

// daf-train with a cv section: the config's folds as a sweep of one condition (named by
// its fusion, or its modality when it has one) and one seed (train.seed), evaluated on the
// clean test folds, in output.dir. `overrides` as for load_config.
Sweep cross_validation_sweep(const std::string& config_file, const std::vector<std::string>& overrides);

// Runs of shard K of N: every N-th run starting at K-1, so shards stay balanced.
bool in_shard(size_t run_index, int64_t shard, int64_t shard_count);

}  // namespace daf
