#include "run_recorder.h"

#include <cmath>
#include <filesystem>

#include "daf/train/predictor.h"
#include "daf/model/model_io.h"
#include "daf/report/json_writer.h"
#include "daf/report/markdown_table.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/logging.h"
#include "daf/util/sha256.h"
#include "daf/util/strings.h"
#include "daf/version.h"

namespace daf {
namespace {

bool improves(double value, double best, bool first, bool higher_is_better) {
  if (std::isnan(value)) return false;
  return first || (higher_is_better ? value > best : value < best);
}

std::string csv_header(const MetricValues& valid) {
  std::string header = "epoch,train_loss";
  for (const auto& [name, value] : valid) header += ",valid_" + name;
  return header + ",lr,seconds,samples_per_s\n";
}

std::string csv_row(int64_t epoch, double train_loss, const MetricValues& valid, double lr, double seconds,
                    double samples_per_second) {
  std::string row = std::to_string(epoch) + "," + format_number(train_loss);
  for (const auto& [name, value] : valid) row += "," + format_number(value);
  return row + "," + format_number(lr) + "," + format_fixed(seconds, 4) + "," + format_fixed(samples_per_second, 1) + "\n";
}

void write_final_metrics(const RunPaths& paths, const TrainResult& result) {
  JsonWriter json;
  json.begin_object();
  json.key("daf_version").value(version());
  json.key("best_epoch").value(result.best_epoch).key("epochs").value(result.epochs);
  json.key("train_seconds").value(result.train_seconds).key("samples_per_second").value(result.samples_per_second);
  for (const auto* split : {"valid", "test"}) {
    json.key(split).begin_object();
    for (const auto& [name, value] : std::string(split) == "valid" ? result.valid : result.test) json.key(name).value(value);
    json.end_object();
  }
  json.end_object();
  std::string csv = "split,metric,value\n";
  for (const auto& [name, value] : result.valid) csv += "valid," + name + "," + format_number(value) + "\n";
  for (const auto& [name, value] : result.test) csv += "test," + name + "," + format_number(value) + "\n";
  write_file_atomic(paths.dir + "/final_metrics.csv", csv);
  // final_metrics.json marks the run as finished, so it is written last.
  write_file_atomic(paths.final_metrics, json.str());
}

std::string summary_table(const TrainResult& result) {
  std::vector<std::string> header = {"split"};
  for (const auto& [name, value] : result.valid) header.push_back(name);
  MarkdownTable table(header);
  for (const auto* split : {"valid", "test"}) {
    if (std::string(split) == "test" && result.test.empty()) continue;
    std::vector<std::string> row = {split};
    for (const auto& [name, value] : std::string(split) == "valid" ? result.valid : result.test)
      row.push_back(format_fixed(value, 4));
    table.add_row(row);
  }
  return table.str();
}

MetricValues score(FusionHead& model, const SplitTensors& split, const ModelMetadata& metadata) {
  return score_predictions(predict(model, split, metadata), split, metadata).metrics;
}

}  // namespace

RunRecorder::RunRecorder(const Config& config, RunStart start, const TrainHooks& hooks, const ModelMetadata& metadata)
    : config_(config), paths_(config.output.dir), hooks_(hooks), start_(std::chrono::steady_clock::now()) {
  log_ = make_run_logger(paths_.log, !hooks.quiet);
  log_->info("daf {} train: {} -> {}", version(), config.data.cache, paths_.dir);
  if (start == RunStart::kFresh) write_file_atomic(paths_.config, config_to_yaml(config));
  metadata_ = metadata;
  metadata_.config = config;
  metadata_.weights_sha256.clear();  // recorded when the run finishes
  save_model_metadata(paths_.metadata, metadata_);
}

void RunRecorder::resume(FusionHead& model, torch::serialize::InputArchive& optimizer_state) {
  state_ = load_checkpoint(paths_.checkpoint, model, optimizer_state);
  log_->info("resuming after epoch {} (best {} {} at epoch {})", state_.epochs_done, config_.train.early_stop_metric,
             format_fixed(state_.best_value, 4), state_.best_epoch);
}

bool RunRecorder::wants_epoch() const {
  return state_.epochs_done < config_.train.max_epochs &&
         (state_.best_epoch == 0 || state_.stale_epochs < config_.train.patience);
}

void RunRecorder::record_epoch(FusionHead& model, const FlatAdam& optimizer, int64_t optimizer_row,
                               const TrainingData& data, double train_loss, double seconds) {
  const int64_t epoch = next_epoch();
  training_seconds_ += seconds;
  samples_ += data.train.size();
  const std::string& metric = config_.train.early_stop_metric;
  const auto valid = score(model, data.valid, metadata_);
  const double value = metric_value(valid, metric);
  const bool better = improves(value, state_.best_value, state_.best_epoch == 0, metric_higher_is_better(metric));
  if (better) {
    state_.best_value = value;
    state_.best_epoch = epoch;
    state_.stale_epochs = 0;
    best_valid_ = valid;
    state_.weights_sha256 = save_weights(model, paths_.weights);
  } else {
    ++state_.stale_epochs;
  }
  const double throughput = seconds > 0 ? static_cast<double>(data.train.size()) / seconds : 0.0;
  if (state_.history_csv.empty()) state_.history_csv = csv_header(valid);
  state_.history_csv += csv_row(epoch, train_loss, valid, config_.train.lr, seconds, throughput);
  state_.epochs_done = epoch;
  write_file_atomic(paths_.metrics, state_.history_csv);
  save_checkpoint(paths_.checkpoint, model, optimizer, optimizer_row, state_);
  log_->info("epoch {:>3}/{} train_loss {:.4f} valid {} {:.4f}{} | {:.2f}s {:.0f} samples/s", epoch,
             config_.train.max_epochs, train_loss, metric, value, better ? " *" : "", seconds, throughput);
  if (hooks_.after_epoch) hooks_.after_epoch(epoch, valid);
}

TrainResult RunRecorder::finish(FusionHead& model, const TrainingData& data) {
  const std::string& metric = config_.train.early_stop_metric;
  if (state_.best_epoch == 0) throw RuntimeFailure("no epoch produced a finite validation " + metric);
  log_->info("stopped after epoch {}: best {} {:.4f} at epoch {}", state_.epochs_done, metric, state_.best_value,
             state_.best_epoch);
  load_weights(model, paths_.weights, state_.weights_sha256);
  TrainResult result;
  result.run_dir = paths_.dir;
  result.epochs = state_.epochs_done;
  result.best_epoch = state_.best_epoch;
  // The best epoch's validation scores, unless that epoch ran before a resume.
  result.valid = best_valid_.empty() ? score(model, data.valid, metadata_) : best_valid_;
  if (hooks_.score_test) result.test = score(model, data.test, metadata_);
  result.train_seconds = training_seconds_;
  result.samples_per_second = training_seconds_ > 0 ? static_cast<double>(samples_) / training_seconds_ : 0.0;
  result.summary_table = summary_table(result);
  // model.yaml gains model.pt's digest only now: during training model.pt changes every better epoch.
  if (state_.weights_sha256.empty()) state_.weights_sha256 = sha256_file(paths_.weights);
  metadata_.weights_sha256 = state_.weights_sha256;
  save_model_metadata(paths_.metadata, metadata_);
  write_final_metrics(paths_, result);
  std::filesystem::remove(paths_.checkpoint);
  remove_stale_temporaries(paths_.dir);
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  log_->info("best epoch {} of {}; {:.1f}s total, {:.0f} training samples/s\n{}", result.best_epoch, result.epochs,
             total, result.samples_per_second, result.summary_table);
  return result;
}

}  // namespace daf
