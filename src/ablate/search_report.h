#pragma once
// What a search's trials left in their run directories, their ranking, and
// the search's outputs: trials.csv, best.yaml, search.md, plots/search.png.
#include <string>
#include <vector>

#include "daf/ablate/sweep.h"

namespace daf {

struct TrialRecord {
  std::string name;                 // trial-001
  std::vector<std::string> values;  // one per space key, as trained
  std::vector<double> seed_values;  // validation metric of each seed's best epoch
  double value = 0, std = 0;        // their mean and sample standard deviation
  int64_t best_epoch = 0;           // of the first seed
  int64_t epochs = 0;               // most epochs any seed trained
  std::string stopped;              // "patience", "max_epochs" or "halving"
  int64_t rung = 0;                 // with halving: the index of the last rung it trained to
  std::vector<double> history;      // validation metric per epoch, mean over the seeds that reached it
};

// The search metric of a trial at its best epoch among the first `epochs`
// (0: all it trained), the mean over its seeds; from its metrics.csv files.
double trial_value(const Sweep& sweep, size_t trial, int64_t epochs);

// Reads every trial's runs. With halving, `rungs` are the rungs' epochs and
// `last_rung` the index of the last rung each trial trained to.
std::vector<TrialRecord> read_trials(const Sweep& sweep, const std::vector<int64_t>& rungs = {},
                                     const std::vector<size_t>& last_rung = {});

// Trial indices, best first: on the search metric (with halving, trials that
// reached a later rung first).
std::vector<size_t> rank_trials(const Sweep& sweep, const std::vector<TrialRecord>& trials);

// The final stage: best-1 .. best-K with the overrides of the trials ranked
// 1..K, then the sweep's own conditions, all with the final seeds.
Sweep final_stage(const Sweep& sweep, const std::vector<size_t>& order);

// trials.csv, best.yaml, search.md (the section summary.md includes) and,
// when `plots`, plots/search.png (and with halving, whose rungs' epochs are
// `rungs`, plots/halving.png), in the sweep's output folder.
void write_search_outputs(const Sweep& sweep, const std::vector<TrialRecord>& trials,
                          const std::vector<size_t>& order, bool plots, const std::vector<int64_t>& rungs = {});

}  // namespace daf
