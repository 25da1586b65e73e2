#include "daf/ablate/sweep_runner.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "daf/ablate/plan.h"
#include "daf/data/cache_io.h"
#include "daf/eval/evaluation.h"
#include "daf/eval/prediction_table.h"
#include "daf/train/predictor.h"
#include "daf/model/model_io.h"
#include "daf/train/runtime.h"
#include "daf/train/split_tensors.h"
#include "daf/train/trainer.h"
#include "daf/util/tool_main.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/file_lock.h"
#include "daf/util/progress.h"
#include "daf/util/strings.h"
#include "daf/util/csv.h"
#include "cv_pooling.h"
#include "run_evaluation.h"
#include "run_groups.h"
#include "run_stage.h"

namespace daf {
namespace fs = std::filesystem;

std::string ablation_file(const std::string& run_dir) { return run_dir + "/ablation.csv"; }

namespace {

using Clock = std::chrono::steady_clock;

// Evaluates a trained run on the test split under every evaluation condition
// that applies to it; writes eval/test/predictions.csv and ablation.csv.
MetricValues evaluate_run(const Sweep& sweep, const SweepRun& run, const EmbeddingCache& cache) {
  LoadedModel loaded = load_model(run.dir);
  const SplitTensors test = run_test_tensors(loaded, cache);
  const RunEvaluations evaluations = predict_evaluations(sweep, run.seed, loaded, test);
  std::vector<Scores> scores;
  for (const auto& predictions : evaluations.predictions)
    scores.push_back(score_predictions(predictions, test, loaded.metadata));
  fs::create_directories(run.dir + "/eval/test");
  write_file_atomic(run.dir + "/eval/test/predictions.csv",
                    predictions_csv(test, evaluations.predictions.front(), loaded.metadata));
  write_file_atomic(ablation_file(run.dir), ablation_csv(evaluations, scores, loaded.metadata.modalities()));
  // ablation.csv last: it marks the run complete
  for (const auto& dir : {run.dir, run.dir + "/eval/test"}) remove_stale_temporaries(dir);
  return scores.front().metrics;
}

// The cores are divided between concurrent runs: train.threads (0: all cores)
// is what one run would use alone.
int64_t threads_per_run(int64_t requested, int64_t jobs) {
  const int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
  const int64_t wanted = requested > 0 ? requested : cores;
  return std::max<int64_t>(1, std::min(wanted, cores / std::max<int64_t>(1, jobs)));
}

std::string key_metrics(const MetricValues& metrics) {
  std::string out;
  for (const auto* name : {"MAE", "Has0_F1_score", "Corr", "accuracy", "F1_weighted", "UAR", "WA_mean", "F1_micro"})
    for (const auto& [key, value] : metrics)
      if (key == name) out += std::string(out.empty() ? "" : " ") + name + " " + format_fixed(value, 4);
  return out;
}

// Trains the group's unfinished runs: together when there are several.
void train_group(const RunGroup& group, PreparedData& data, int64_t jobs, bool score_test, int64_t pause_after) {
  std::vector<Config> configs;
  for (const SweepRun* run : group) {
    if (fs::exists(run->dir + "/final_metrics.json")) continue;
    configs.push_back(run->config);
    configs.back().train.threads = threads_per_run(configs.back().train.threads, jobs);
  }
  TrainHooks hooks;
  hooks.quiet = true;
  hooks.score_test = score_test;
  hooks.pause_after_epoch = pause_after;
  if (!configs.empty()) train_models_together(configs, data, hooks);
}


// The validation metric a trial is ranked on, for its log line.
std::string trial_metric(const SweepRun& run, const std::string& metric) {
  for (const auto& row : read_csv(run.dir + "/final_metrics.csv").rows)
    if (row.size() == 3 && row[0] == "valid" && row[1] == metric)
      return "valid " + metric + " " + format_fixed(std::stod(row[2]), 4);
  return "";
}

}  // namespace

namespace {
// Epochs recorded in a run's metrics.csv (0 when it has none).
int64_t recorded_epochs(const std::string& run_dir) {
  const std::string path = run_dir + "/metrics.csv";
  return fs::exists(path) ? static_cast<int64_t>(read_csv(path).rows.size()) : 0;
}
}  // namespace

bool run_finished(const SweepRun& run, RunStage stage, int64_t rung_epochs) {
  if (stage == RunStage::kFinal) return fs::exists(ablation_file(run.dir));
  if (fs::exists(run.dir + "/final_metrics.json")) return true;
  // A paused trial. (Killed between writing metrics.csv and its checkpoint, it
  // counts as done too: the epoch's scores are recorded, and resuming retrains
  // the epoch to the same numbers.)
  return rung_epochs > 0 && recorded_epochs(run.dir) >= rung_epochs;
}

SweepRunReport run_stage(const Sweep& sweep, const std::vector<SweepRun>& all_runs, RunStage stage,
                         const SweepOptions& options, const std::string& done_marker, int64_t rung_epochs) {
  const auto start = Clock::now();
  const bool trials = stage == RunStage::kTrial;
  const std::string what = trials ? "trials" : "runs";
  SweepRunReport report;
  std::vector<const SweepRun*> pending;
  for (size_t i = 0; i < all_runs.size(); ++i) {
    if (!in_shard(i, options.shard, options.shard_count)) continue;
    ++report.planned;
    if (run_finished(all_runs[i], stage, rung_epochs))
      ++report.skipped;
    else
      pending.push_back(&all_runs[i]);
  }
  spdlog::info("{} {}: {} {}; shard {}/{} has {}, {} already finished, {} to run with {} job(s) of {} thread(s)",
               trials ? "search" : "sweep", sweep.source, all_runs.size(), what, options.shard, options.shard_count,
               report.planned, report.skipped, pending.size(), options.jobs,
               threads_per_run(all_runs.front().config.train.threads, options.jobs));
  if (!pending.empty()) {
    const EmbeddingCache cache = read_sweep_cache(all_runs);
    PreparedData prepared(cache);
    const auto groups = group_runs(pending, cache, options.jobs, options.train_together);
    if (groups.size() < pending.size()) {
      spdlog::info("training {} {} as {} stacked group(s): runs that differ only in {} train as one model "
                   "(batched matrix products; each keeps its own initialisation, data order, hyper-parameters, early "
                   "stopping and run directory); --separate trains them one by one",
                   pending.size(), what, groups.size(), join(per_run_keys(), ", "));
      log_groups(groups, cache);
    }
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr failure;
    std::mutex mutex;
    ProgressBar progress(trials ? "search" : "sweep", static_cast<long>(pending.size()));
    auto worker = [&] {
      while (!failed) {
        const size_t g = next++;
        if (g >= groups.size()) return;
        const RunGroup& group = groups[g];
        try {
          // Held through training and evaluation: a second sweep process on
          // the same runs fails instead of mixing its files into them.
          std::vector<std::shared_ptr<FileLock>> locks;
          for (const SweepRun* run : group) locks.push_back(lock_run_directory(run->dir));
          const auto group_start = Clock::now();
          train_group(group, prepared, options.jobs, !trials, rung_epochs);
          // A stacked group trains as one model: its time is the group's, logged once.
          const double train_seconds = std::chrono::duration<double>(Clock::now() - group_start).count();
          if (group.size() > 1) {
            std::lock_guard<std::mutex> lock(mutex);
            progress.finish_line();
            std::vector<std::string> conditions;
            for (const SweepRun* run : group)
              if (std::find(conditions.begin(), conditions.end(), run->condition) == conditions.end())
                conditions.push_back(run->condition);
            spdlog::info("{} runs ({}) trained together as one stacked model in {:.1f}s", group.size(),
                         join(conditions, ", "), train_seconds);
          }
          for (const SweepRun* run : group) {
            const auto eval_start = Clock::now();
            // A trial is ranked on its validation scores alone: its test split is never scored.
            const std::string scores =
                !trials ? key_metrics(evaluate_run(sweep, *run, cache))
                        : (fs::exists(run->dir + "/final_metrics.json") ? trial_metric(*run, sweep.search.metric)
                                                                         : "paused after epoch " +
                                                                               std::to_string(recorded_epochs(run->dir)));
            const double eval_seconds = std::chrono::duration<double>(Clock::now() - eval_start).count();
            const std::string timing = group.size() > 1 ? fmt::format("evaluated in {:.1f}s", eval_seconds)
                                                        : fmt::format("trained in {:.1f}s, evaluated in {:.1f}s",
                                                                      train_seconds, eval_seconds);
            std::lock_guard<std::mutex> lock(mutex);
            ++report.completed;
            progress.finish_line();
            spdlog::info("[{}/{}] {}{} seed {}: {} ({})", report.completed, pending.size(), run->condition,
                         run->fold > 0 ? " fold " + std::to_string(run->fold) : "", run->seed, scores, timing);
            progress.update(report.completed);
          }
        } catch (...) {
          std::lock_guard<std::mutex> lock(mutex);
          if (!failed) failure = std::current_exception();
          failed = true;
          for (const SweepRun* run : group)
            spdlog::error("{} seed {} failed; see {}/train.log", run->condition, run->seed, run->dir);
        }
      }
    };
    std::vector<std::thread> threads;
    for (int64_t j = 0; j < std::max<int64_t>(1, options.jobs); ++j)
      threads.emplace_back([&worker] {
        log_torch_warnings_in_this_thread();
        worker();
      });
    for (auto& t : threads) t.join();
    progress.finish();
    if (failure) std::rethrow_exception(failure);
  }
  fs::create_directories(fs::path(done_marker).parent_path());
  write_file_atomic(done_marker, std::to_string(report.planned) + " " + what + "\n");
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

std::string shard_marker(const std::string& folder, const SweepOptions& options) {
  return folder + "/shards/" + std::to_string(options.shard) + "-of-" + std::to_string(options.shard_count) + ".done";
}

SweepRunReport run_plain_sweep(const Sweep& sweep, const SweepOptions& options) {
  fs::create_directories(sweep.output + "/shards");
  if (sweep.cv.count() > 0) write_cv_folds(sweep.output, sweep.cv);  // before any run trains on them
  write_plan(sweep.output + "/plan.yaml", make_plan(sweep));
  const SweepRunReport report =
      run_stage(sweep, sweep.runs(), RunStage::kFinal, options, shard_marker(sweep.output, options));
  pool_cv_runs(sweep);
  return report;
}

SweepRunReport run_sweep(const Sweep& sweep, const SweepOptions& options) {
  std::error_code error;
  if (fs::exists(sweep.output, error) && !fs::is_directory(sweep.output, error))
    throw InputError(sweep.output + ": not a directory (the sweep's output folder); choose another 'output' or --out");
  if (sweep.cv.count() > 0) {  // before any run (a search's trials too) trains on them
    fs::create_directories(sweep.output);
    write_cv_folds(sweep.output, sweep.cv);
  }
  return sweep.has_search ? run_search(sweep, options) : run_plain_sweep(sweep, options);
}

}  // namespace daf
