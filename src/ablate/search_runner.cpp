// A search sweep (docs/ablation.md, "Search"): the trials, ranked on the
// validation split, then the final stage on the test split.
#include <spdlog/spdlog.h>

#include <filesystem>

#include "daf/util/strings.h"
#include "run_stage.h"
#include "search_report.h"

namespace daf {
namespace fs = std::filesystem;

SweepRunReport run_search(const Sweep& sweep, const SweepOptions& options) {
  const auto trials = sweep.trial_runs();
  std::vector<std::string> space;
  for (const auto& d : sweep.search.space) space.push_back(d.key + " " + describe(d));
  spdlog::info("search: {} trials ({} sampler, seed {}) over {}; ranked on validation {}", sweep.search.trials,
               sweep.search.sampler, sweep.search.seed, join(space, "; "), sweep.search.metric);
  SweepRunReport report =
      run_stage(sweep, trials, RunStage::kTrial, options, shard_marker(sweep.output + "/trials", options));
  for (const auto& run : trials) report.trials_unfinished += run_finished(run, RunStage::kTrial) ? 0 : 1;
  if (report.trials_unfinished > 0) {
    spdlog::info("{} of {} trials (other shards) are not finished: the final stage starts when they are; run this "
                 "command again then",
                 report.trials_unfinished, trials.size());
    return report;
  }
  const auto records = read_trials(sweep);
  const auto order = rank_trials(sweep, records);
  write_search_outputs(sweep, records, order, options.plots);
  for (int64_t k = 0; k < sweep.search.top; ++k) {
    const auto& best = records[order[static_cast<size_t>(k)]];
    spdlog::info("{}: {} (valid {} {}): {}", best_condition_name(k + 1), best.name, sweep.search.metric,
                 format_fixed(best.value, 4), join(sweep.search.trial_conditions[order[static_cast<size_t>(k)]].overrides, " "));
  }
  const Sweep final = final_stage(sweep, order);
  const SweepRunReport final_report = run_plain_sweep(final, options);
  report.planned += final_report.planned;
  report.skipped += final_report.skipped;
  report.completed += final_report.completed;
  report.seconds += final_report.seconds;
  return report;
}

}  // namespace daf
