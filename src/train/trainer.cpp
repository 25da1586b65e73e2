#include "daf/train/trainer.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <mutex>

#include <ATen/CPUGeneratorImpl.h>

#include "daf/data/cache_io.h"
#include "daf/eval/predictor.h"
#include "daf/model/model_io.h"
#include "daf/report/json_writer.h"
#include "daf/report/markdown_table.h"
#include "daf/train/checkpoint.h"
#include "daf/train/flat_adam.h"
#include "daf/train/run_directory.h"
#include "daf/train/runtime.h"
#include "daf/train/split_tensors.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/logging.h"
#include "daf/util/progress.h"
#include "daf/util/strings.h"
#include "daf/version.h"

namespace daf {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct TrainingData {
  ModelMetadata metadata;
  SplitTensors train, valid, test;
};

TrainingData prepare_training_data(const Config& config, const EmbeddingCache& cache, const torch::Device& device) {
  TrainingData data;
  data.metadata.daf_version = version();
  data.metadata.config = config;
  const auto& train = cache.splits.at("train");
  for (const auto& modality : config.data.modalities) {
    const auto features = train.features.find(modality);
    if (features == train.features.end())
      throw InputError(config.data.cache + ": /train/features has no modality '" + modality + "'");
    data.metadata.input_dims.push_back(features->second.cols);
    if (config.data.normalize) {
      const auto present = train.present.find(modality);
      data.metadata.normalization[modality] = compute_feature_stats(
          features->second, present == train.present.end() ? std::vector<uint8_t>{} : present->second);
    }
  }
  const auto& path = config.data.cache;
  auto tensors = [&](const std::string& split) {
    return make_split_tensors(select_columns(cache.splits.at(split), config, split), data.metadata, device, path, split);
  };
  data.train = tensors("train");
  data.valid = tensors("valid");
  data.test = tensors("test");
  return data;
}

FlatAdam make_optimizer(FusionHead& model, const TrainConfig& config) {
  FlatAdamOptions options;
  options.lr = config.lr;
  options.weight_decay = config.weight_decay;
  options.decoupled = config.optimizer == "adamw";
  return FlatAdam(model->parameters(), options);
}

// Masks each modality of each row with probability p, keeping at least one
// modality that was present.
torch::Tensor drop_modalities(const torch::Tensor& present, double p, at::Generator& generator) {
  const auto draw = torch::rand(present.sizes(), generator, torch::kFloat).to(present.device());
  auto keep = present * (draw >= p).to(present.scalar_type());
  const auto lost = (keep.sum(1) == 0).logical_and(present.sum(1) > 0);
  if (lost.any().item<bool>()) {
    const auto rows = lost.nonzero().squeeze(1);
    const auto pick = torch::multinomial(present.index_select(0, rows).cpu(), 1, false, generator).squeeze(1);
    keep.index_put_({rows, pick.to(present.device())}, 1.0);
  }
  return keep;
}

// One pass over the training split; returns the mean training loss.
double train_epoch(FusionHead& model, FlatAdam& optimizer, const SplitTensors& train,
                   const Config& config, int64_t epoch, at::Generator& generator, bool show_progress) {
  model->train();
  const int64_t n = train.size();
  const int64_t batch_size = config.train.batch_size;
  const auto order = torch::randperm(n, generator, torch::kLong).to(train.target.device());
  ProgressBar progress("epoch " + std::to_string(epoch), show_progress ? n : 0);
  double loss_sum = 0;
  for (int64_t start = 0; start < n; start += batch_size) {
    const int64_t end = std::min(n, start + batch_size);
    Batch batch = gather_batch(train, order.slice(0, start, end));
    if (config.train.modality_dropout > 0)
      batch.present = drop_modalities(batch.present, config.train.modality_dropout, generator);
    const auto output = model->forward(batch.features, batch.present).output;
    const auto loss = task_loss(output, batch.target, config);
    optimizer.zero_grad();
    loss.backward();
    if (config.train.grad_clip > 0) optimizer.clip_grad_norm(config.train.grad_clip);
    optimizer.step();
    loss_sum += loss.item<double>() * static_cast<double>(end - start);
    progress.update(end);
  }
  const double mean_loss = loss_sum / static_cast<double>(n);
  if (!std::isfinite(mean_loss))
    throw RuntimeFailure("training diverged in epoch " + std::to_string(epoch) + " (loss " + format_number(mean_loss) +
                         "); lower train.lr or set train.grad_clip");
  return mean_loss;
}

// Parameter initialisation draws from LibTorch's global generator; the lock
// keeps concurrent runs from interleaving their draws.
FusionHead build_seeded_model(const ModelMetadata& metadata, uint64_t seed) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  torch::manual_seed(seed);
  return build_model(metadata);
}

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
    std::vector<std::string> row = {split};
    for (const auto& [name, value] : std::string(split) == "valid" ? result.valid : result.test)
      row.push_back(format_fixed(value, 4));
    table.add_row(row);
  }
  return table.str();
}

}  // namespace

EmbeddingCache read_training_cache(const Config& config) {
  CacheReadOptions options;
  options.modalities = config.data.modalities;
  options.labels = {config.data.target};
  options.replace_nonfinite = config.data.nonfinite == "zero";
  CacheReadReport report;
  EmbeddingCache cache = read_cache(config.data.cache, options, &report);
  for (const auto& [modality, count] : report.nonfinite_replaced)
    if (count > 0) spdlog::warn("{}: replaced {} non-finite {} feature values by 0", config.data.cache, count, modality);
  for (const auto& split : cache_split_names())
    spdlog::info("{} split: {} utterances", split, cache.splits.at(split).size());
  return cache;
}

namespace {

// The run directory is already prepared: `start` says whether to resume.
TrainResult train_prepared(const Config& config, const EmbeddingCache& cache, const TrainHooks& hooks,
                           RunStart start) {
  const RunPaths paths(config.output.dir);
  auto log = make_run_logger(paths.log, !hooks.quiet);
  log->info("daf {} train: {} -> {}", version(), config.data.cache, paths.dir);
  if (start == RunStart::kFresh) write_file_atomic(paths.config, config_to_yaml(config));

  const int64_t threads = configure_threads(config.train.threads);
  const torch::Device device = select_device(config.train.device);
  log->info("device {}, {} thread(s); fusion {}{}, modalities {}", device.str(), threads, config.model.fusion,
               config.model.fusion == "dynamic" ? " (" + config.model.gate + " gate)" : "",
               join(config.data.modalities, "+"));

  TrainingData data = prepare_training_data(config, cache, device);
  save_model_metadata(paths.metadata, data.metadata);

  FusionHead model = build_seeded_model(data.metadata, static_cast<uint64_t>(config.train.seed));
  model->to(device);
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(config.train.seed));
  model->set_generator(generator);
  FlatAdam optimizer = make_optimizer(model, config.train);

  LoopState state;
  const std::string& metric = config.train.early_stop_metric;
  const bool higher_is_better = metric_higher_is_better(metric);
  if (start == RunStart::kResume) {
    state = load_checkpoint(paths.checkpoint, model, optimizer);
    log->info("resuming after epoch {} (best {} {} at epoch {})", state.epochs_done, metric,
                 format_fixed(state.best_value, 4), state.best_epoch);
  }

  const auto run_start = Clock::now();
  int64_t samples = 0;
  double training_seconds = 0;
  while (state.epochs_done < config.train.max_epochs && (state.best_epoch == 0 || state.stale_epochs < config.train.patience)) {
    const int64_t epoch = state.epochs_done + 1;
    // Seeding per epoch makes data order and dropout depend only on (seed, epoch),
    // so a resumed run continues exactly as an uninterrupted one would.
    generator.set_current_seed(static_cast<uint64_t>(config.train.seed) * 1000003ULL + static_cast<uint64_t>(epoch));
    const auto epoch_start = Clock::now();
    const double train_loss = train_epoch(model, optimizer, data.train, config, epoch, generator, !hooks.quiet);
    const double epoch_seconds = seconds_since(epoch_start);
    training_seconds += epoch_seconds;
    samples += data.train.size();
    const auto valid = score_predictions(predict(model, data.valid, config), data.valid, data.metadata.num_outputs());
    const double value = metric_value(valid.metrics, metric);
    const bool better = improves(value, state.best_value, state.best_epoch == 0, higher_is_better);
    if (better) {
      state.best_value = value;
      state.best_epoch = epoch;
      state.stale_epochs = 0;
      save_weights(model, paths.weights);
    } else {
      ++state.stale_epochs;
    }
    const double throughput = data.train.size() / epoch_seconds;
    if (state.history_csv.empty()) state.history_csv = csv_header(valid.metrics);
    state.history_csv += csv_row(epoch, train_loss, valid.metrics, config.train.lr, epoch_seconds, throughput);
    state.epochs_done = epoch;
    write_file_atomic(paths.metrics, state.history_csv);
    save_checkpoint(paths.checkpoint, model, optimizer, state);
    log->info("epoch {:>3}/{} train_loss {:.4f} valid {} {:.4f}{} | {:.2f}s {:.0f} samples/s", epoch,
                 config.train.max_epochs, train_loss, metric, value, better ? " *" : "", epoch_seconds, throughput);
    if (hooks.after_epoch) hooks.after_epoch(epoch, valid.metrics);
  }
  if (state.best_epoch == 0) throw RuntimeFailure("no epoch produced a finite validation " + metric);
  log->info("stopped after epoch {}: best {} {:.4f} at epoch {}", state.epochs_done, metric, state.best_value,
               state.best_epoch);

  load_weights(model, paths.weights);
  TrainResult result;
  result.run_dir = paths.dir;
  result.epochs = state.epochs_done;
  result.best_epoch = state.best_epoch;
  result.valid = score_predictions(predict(model, data.valid, config), data.valid, data.metadata.num_outputs()).metrics;
  result.test = score_predictions(predict(model, data.test, config), data.test, data.metadata.num_outputs()).metrics;
  result.train_seconds = training_seconds;
  result.samples_per_second = training_seconds > 0 ? samples / training_seconds : 0.0;
  result.summary_table = summary_table(result);
  write_final_metrics(paths, result);
  std::filesystem::remove(paths.checkpoint);
  log->info("best epoch {} of {}; {:.1f}s total, {:.0f} training samples/s\n{}", result.best_epoch, result.epochs,
               seconds_since(run_start), result.samples_per_second, result.summary_table);
  return result;
}

}  // namespace

TrainResult train_model(const Config& config, const TrainHooks& hooks) {
  // The directory is checked first, so a finished run fails before a large cache is read.
  const RunStart start = prepare_run_directory(RunPaths(config.output.dir), config);
  return train_prepared(config, read_training_cache(config), hooks, start);
}

TrainResult train_model(const Config& config, const EmbeddingCache& cache, const TrainHooks& hooks) {
  const RunStart start = prepare_run_directory(RunPaths(config.output.dir), config);
  return train_prepared(config, cache, hooks, start);
}

}  // namespace daf
