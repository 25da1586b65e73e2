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
  std::string stopped;              // "patience" or "max_epochs"
  std::vector<double> history;      // validation metric per epoch, mean over the seeds that reached it
};

// Reads every trial's runs (all must be finished).
std::vector<TrialRecord> read_trials(const Sweep& sweep);

// Trial indices, best first, on the search metric.
std::vector<size_t> rank_trials(const Sweep& sweep, const std::vector<TrialRecord>& trials);

// The final stage: best-1 .. best-K with the overrides of the trials ranked
// 1..K, then the sweep's own conditions, all with the final seeds.
Sweep final_stage(const Sweep& sweep, const std::vector<size_t>& order);

// trials.csv, best.yaml, search.md (the section summary.md includes) and,
// when `plots`, plots/search.png, in the sweep's output folder.
void write_search_outputs(const Sweep& sweep, const std::vector<TrialRecord>& trials,
                          const std::vector<size_t>& order, bool plots);

}  // namespace daf
