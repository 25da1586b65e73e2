// A search sweep (docs/ablation.md, "Search"): the trials, ranked on the
// validation split (with successive halving, rung by rung), then the final
// stage on the test split.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "daf/search/halving.h"
#include "daf/search/ranking.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/file_lock.h"
#include "daf/util/strings.h"
#include "run_stage.h"
#include "search_report.h"

namespace daf {
namespace fs = std::filesystem;
namespace {

// The trial runs (every seed, and fold) of the given trials, in trial order.
std::vector<SweepRun> runs_of(const Sweep& sweep, const std::vector<SweepRun>& all, const std::vector<size_t>& trials) {
  std::vector<SweepRun> out;
  const size_t per_trial = sweep.seeds.size() * static_cast<size_t>(std::max<int64_t>(1, sweep.cv.count()));
  for (const size_t t : trials)
    for (size_t r = 0; r < per_trial; ++r) out.push_back(all[t * per_trial + r]);
  return out;
}

// Trains the trials of one rung (all of them without halving); the count of
// this rung's trials that are not done yet (other shards).
int64_t train_rung(const Sweep& sweep, const std::vector<SweepRun>& runs, const SweepOptions& options,
                   const std::string& marker, int64_t rung_epochs, SweepRunReport& report) {
  const auto stage = run_stage(sweep, runs, RunStage::kTrial, options, marker, rung_epochs);
  report.planned += stage.planned;
  report.skipped += stage.skipped;
  report.completed += stage.completed;
  int64_t unfinished = 0;
  for (const auto& run : runs) unfinished += run_finished(run, RunStage::kTrial, rung_epochs) ? 0 : 1;
  return unfinished;
}

// Successive halving: every rung's trials train to the rung's epoch (pausing
// there); the best 1/eta continue. Returns each trial's last rung, or empty
// while a rung waits for other shards.
std::vector<size_t> run_halving(const Sweep& sweep, const std::vector<SweepRun>& all, const std::vector<int64_t>& rungs,
                                const SweepOptions& options, SweepRunReport& report) {
  const auto& search = sweep.search;
  std::vector<size_t> alive(search.trial_conditions.size());
  for (size_t t = 0; t < alive.size(); ++t) alive[t] = t;
  std::vector<size_t> last_rung(alive.size(), 0);
  std::string ladder = "rung,epochs,trials,continue\n";
  for (size_t k = 0; k < rungs.size(); ++k) {
    const bool last = k + 1 == rungs.size();
    const std::string marker = sweep.output + "/trials/shards/rung-" + std::to_string(k + 1) + "-" +
                               std::to_string(options.shard) + "-of-" + std::to_string(options.shard_count) + ".done";
    report.trials_unfinished =
        train_rung(sweep, runs_of(sweep, all, alive), options, marker, last ? 0 : rungs[k], report);
    if (report.trials_unfinished > 0) {
      spdlog::info("halving rung {} (epoch {}): {} trial run(s) of other shards are not there yet; the next rung "
                   "starts when they are: run this command again then",
                   k + 1, rungs[k], report.trials_unfinished);
      return {};
    }
    for (const size_t t : alive) last_rung[t] = k;
    if (last) {
      ladder += std::to_string(k + 1) + "," + std::to_string(rungs[k]) + "," + std::to_string(alive.size()) + ",\n";
      break;
    }
    std::vector<double> values;
    for (const size_t t : alive) values.push_back(trial_value(sweep, t, rungs[k]));
    const auto order = rank_order(values, metric_higher_is_better(search.metric));
    const auto keep = static_cast<size_t>(halving_keep(static_cast<int64_t>(alive.size()), search.halving_eta));
    std::vector<size_t> next;
    for (size_t r = 0; r < keep; ++r) next.push_back(alive[order[r]]);
    std::sort(next.begin(), next.end());
    spdlog::info("halving rung {} (epoch {}): {} trials ranked on validation {}; the best {} continue to epoch {}", k + 1,
                 rungs[k], alive.size(), search.metric, next.size(), rungs[k + 1]);
    ladder += std::to_string(k + 1) + "," + std::to_string(rungs[k]) + "," + std::to_string(alive.size()) + "," +
              std::to_string(next.size()) + "\n";
    alive = std::move(next);
  }
  write_file_atomic(sweep.output + "/halving.csv", ladder);
  return last_rung;
}

}  // namespace

SweepRunReport run_search(const Sweep& sweep, const SweepOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto& search = sweep.search;
  const auto trials = sweep.trial_runs();
  std::vector<std::string> space;
  for (const auto& d : search.space) space.push_back(d.key + " " + describe(d));
  spdlog::info("search: {} trials ({} sampler, seed {}) over {}; ranked on validation {}", search.trials,
               search.sampler, search.seed, join(space, "; "), search.metric);
  SweepRunReport report;
  std::vector<int64_t> rungs;
  std::vector<size_t> last_rung;
  if (search.halving_min_epochs > 0) {
    rungs = halving_rungs(search.halving_min_epochs, search.halving_eta, trials.front().config.train.max_epochs);
    std::vector<std::string> epochs;
    for (const int64_t r : rungs) epochs.push_back(std::to_string(r));
    spdlog::info("successive halving (eta {}): rungs at epochs {}", search.halving_eta, join(epochs, ", "));
    last_rung = run_halving(sweep, trials, rungs, options, report);
    if (last_rung.empty()) return report;
  } else {
    report.trials_unfinished = train_rung(sweep, trials, options, shard_marker(sweep.output + "/trials", options), 0, report);
    if (report.trials_unfinished > 0) {
      spdlog::info("{} of {} trial runs (other shards) are not finished: the final stage starts when they are; run "
                   "this command again then",
                   report.trials_unfinished, trials.size());
      return report;
    }
  }
  report.trial_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  spdlog::info("search trials: {:.1f} s", report.trial_seconds);
  const auto records = read_trials(sweep, rungs, last_rung);
  const auto order = rank_trials(sweep, records);
  // Shards that finish the trials at the same moment would draw the same
  // plots through the same gnuplot files; the reports are the same whoever
  // writes them, so one shard writes them and the others go on.
  std::shared_ptr<FileLock> reports_lock;
  try {
    reports_lock = lock_path(sweep.output + "/search.lock", "the search's reports");
  } catch (const RuntimeFailure&) {
    spdlog::info("another shard is writing the search's reports (trials.csv, best.yaml, search.md)");
  }
  if (reports_lock) write_search_outputs(sweep, records, order, options.plots, rungs);
  reports_lock.reset();
  for (int64_t k = 0; k < search.top; ++k) {
    const size_t t = order[static_cast<size_t>(k)];
    spdlog::info("{}: {} (valid {} {}): {}", best_condition_name(k + 1), records[t].name, search.metric,
                 format_fixed(records[t].value, 4), join(search.trial_conditions[t].overrides, " "));
  }
  const SweepRunReport final_report = run_plain_sweep(final_stage(sweep, order), options);
  report.planned += final_report.planned;
  report.skipped += final_report.skipped;
  report.completed += final_report.completed;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace daf
