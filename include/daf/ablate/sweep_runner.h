#pragma once
// Running a sweep (or one shard of it) inside one process: the cache is read
// once, runs train concurrently, every run directory is exactly what
// daf-train writes, plus ablation.csv with the robustness evaluations.
#include <cstdint>
#include <string>

#include "daf/ablate/sweep.h"

namespace daf {

struct SweepOptions {
  int64_t jobs = 1;         // runs trained at the same time
  int64_t shard = 1;        // this process runs shard `shard` of `shard_count`
  int64_t shard_count = 1;
  // Runs that differ only in their seed train as one stacked model
  // (train/trainer.h); false trains every run on its own.
  bool train_together = true;
  bool plots = true;  // a search's plots/search.png
};

struct SweepRunReport {
  int64_t planned = 0;    // runs in this shard
  int64_t skipped = 0;    // already finished before this process started
  int64_t completed = 0;  // finished by this process
  double seconds = 0;
  // A search: trials (of other shards) not finished yet; while there are, the
  // final stage waits and this report counts trials, not runs.
  int64_t trials_unfinished = 0;
  double trial_seconds = 0;  // a search: time of its trial stage (every rung) in this process
};

// Finished runs (ablation.csv present) are never redone; interrupted ones
// resume from their checkpoint. Writes <output>/plan.yaml and, when the
// shard is complete, <output>/shards/<K>-of-<N>.done.
// A search sweep first trains its trials (<output>/trials/..., shard markers
// in <output>/trials/shards/); when all are finished it ranks them, writes
// trials.csv, best.yaml, search.md and plots/search.png, and runs the final
// stage as above.
SweepRunReport run_sweep(const Sweep& sweep, const SweepOptions& options);

// The per-run result file; its presence marks a run as complete.
std::string ablation_file(const std::string& run_dir);

}  // namespace daf
