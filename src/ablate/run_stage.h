#pragma once
// The stages of daf-ablate: training a list of runs (one shard of it), and the
// search that comes before a search sweep's final stage.
#include <string>
#include <vector>

#include "daf/ablate/sweep.h"
#include "daf/ablate/sweep_runner.h"

namespace daf {

enum class RunStage {
  kTrial,  // a search trial: trained and validated; complete with final_metrics.json; test never scored
  kFinal,  // a sweep run: trained, evaluated on the test split; complete with ablation.csv
};

// `rung_epochs` > 0 (successive halving): a trial is done for the rung once
// it has finished or trained that many epochs.
bool run_finished(const SweepRun& run, RunStage stage, int64_t rung_epochs = 0);

// Trains (and for kFinal evaluates) the unfinished runs of this shard, then
// writes `done_marker`. With `rung_epochs` > 0 trials pause after that epoch.
SweepRunReport run_stage(const Sweep& sweep, const std::vector<SweepRun>& runs, RunStage stage,
                         const SweepOptions& options, const std::string& done_marker, int64_t rung_epochs = 0);

// <folder>/shards/<K>-of-<N>.done
std::string shard_marker(const std::string& folder, const SweepOptions& options);

// An ordinary sweep: plan.yaml, then its runs.
SweepRunReport run_plain_sweep(const Sweep& sweep, const SweepOptions& options);

// A search sweep: the trials of this shard; once every trial (of every shard)
// is finished, the ranking, the search's reports and the final stage (a plain
// sweep of the best trials and the sweep's conditions with the final seeds).
SweepRunReport run_search(const Sweep& sweep, const SweepOptions& options);

}  // namespace daf
