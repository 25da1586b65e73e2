#include "stacked_trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include <ATen/CPUGeneratorImpl.h>

#include "daf/model/model_io.h"
#include "daf/model/stacked_fusion_head.h"
#include "daf/config/task.h"
#include "daf/model/task_loss.h"
#include "daf/train/runtime.h"
#include "daf/util/error.h"
#include "daf/util/progress.h"
#include "daf/util/strings.h"
#include "run_recorder.h"
#include "training_data.h"

namespace daf {
namespace {

using Clock = std::chrono::steady_clock;

FlatAdamOptions optimizer_options(const TrainConfig& config) {
  FlatAdamOptions options;
  options.lr = config.lr;
  options.weight_decay = config.weight_decay;
  options.decoupled = config.optimizer == "adamw";
  return options;
}

void check_finite_loss(double loss, int64_t epoch, const std::string& run) {
  if (!std::isfinite(loss))
    throw RuntimeFailure(run + ": training diverged in epoch " + std::to_string(epoch) + " (loss " +
                         format_number(loss) + "); lower train.lr or set train.grad_clip");
}

// Each row's modality dropout rates, in modality order; empty when no row has any.
std::vector<std::vector<double>> modality_dropout_rates(const std::vector<const Config*>& rows) {
  std::vector<std::vector<double>> rates;
  bool any = false;
  for (const Config* row : rows) {
    rates.push_back(row->train.modality_dropout.of(row->data.modalities));
    any = any || row->train.modality_dropout.any();
  }
  return any ? rates : std::vector<std::vector<double>>{};
}

// One pass of every stacked run over the training split, each in its own
// order; returns each run's mean training loss. Summing the runs' losses
// gives each run exactly its own gradient. The random draws of a run (order,
// modality dropout, dropout masks) come from its own generator in a fixed
// order, whatever the other rows.
std::vector<double> train_stacked_epoch(StackedFusionHead& model, FlatAdam& optimizer, const SplitTensors& train,
                                        BatchGatherer& gatherer, const std::vector<const Config*>& rows,
                                        std::vector<at::Generator>& generators, const std::vector<float>& loss_weights,
                                        ProgressBar& progress) {
  const int64_t runs = model.size();
  const int64_t n = train.size();
  const int64_t batch_size = rows.front()->train.batch_size;
  const auto dropout_rates = modality_dropout_rates(rows);
  std::vector<double> grad_clip;
  for (const Config* row : rows) grad_clip.push_back(row->train.grad_clip);
  const bool clip = std::any_of(grad_clip.begin(), grad_clip.end(), [](double v) { return v > 0; });
  // Regression: the output layer and the loss as one fused node, where the kernels are fused.
  const bool regression = !is_class_task(rows.front()->model.task) && !is_multilabel_task(rows.front()->model.task);
  const bool fused_loss = regression && model.fused_regression_available();
  // ... and, for every task, the whole step without an autograd graph where it
  // can (the same numbers, bit for bit; for regression it implies fused_loss).
  const bool graph_free = model.fused_step_available();
  std::vector<uint8_t> mse;
  for (const Config* row : rows) mse.push_back(row->train.loss == "mse");
  std::vector<torch::Tensor> orders;
  for (auto& generator : generators) orders.push_back(torch::randperm(n, generator, torch::kLong));
  const auto order = torch::stack(orders).to(train.target.device());  // [S, n]
  auto loss_sums = torch::zeros({runs}, torch::kDouble);
  for (int64_t start = 0; start < n; start += batch_size) {
    const int64_t end = std::min(n, start + batch_size);
    const int64_t count = end - start;
    Batch batch = gatherer.gather(order.slice(1, start, end).reshape({-1}));
    std::vector<torch::Tensor> features;
    for (const auto& f : batch.features) features.push_back(f.view({runs, count, -1}));
    auto present = batch.present.view({runs, count, -1});
    if (!dropout_rates.empty()) present = drop_modalities(present, dropout_rates, generators);
    auto target = batch.target.dim() == 1 ? batch.target.view({runs, count}) : batch.target.view({runs, count, -1});
    // The gradients are 0 here: FlatAdam starts so, and each step clears them.
    torch::Tensor losses;
    if (graph_free && regression) {
      losses = model.regression_step(features, present, &generators, target, mse);
    } else if (graph_free) {
      losses = model.training_step(features, present, &generators, [&](const torch::Tensor& output) {
        return task_loss_per_run(output, target, rows, loss_weights);
      });
    } else {
      losses = fused_loss ? model.regression_losses(features, present, &generators, target, mse)
                          : task_loss_per_run(model.forward(features, present, &generators).output, target, rows,
                                              loss_weights);
      losses.sum().backward();
    }
    if (clip) optimizer.clip_grad_norm(grad_clip);
    optimizer.step_and_zero_grad();
    loss_sums.add_(losses.detach().cpu(), static_cast<double>(count));
    progress.update(end);
  }
  loss_sums.div_(static_cast<double>(n));
  return std::vector<double>(loss_sums.data_ptr<double>(), loss_sums.data_ptr<double>() + runs);
}

}  // namespace

namespace {

TrainResult paused_result(const Config& config, int64_t epochs) {
  TrainResult result;
  result.run_dir = config.output.dir;
  result.epochs = epochs;
  result.paused = true;
  return result;
}

// The epoch loop of rows that start together (fresh, or resumed after the
// same epoch). `optimizer_states`: for resumed rows, their checkpoint's state.
void train_rows(const std::vector<Config>& configs, std::vector<RunRecorder>& runs, std::vector<FusionHead>& heads,
                std::vector<size_t> active, std::vector<torch::serialize::InputArchive>* optimizer_states,
                const TrainingData& data, const TrainHooks& hooks, std::vector<TrainResult>& results) {
  const Config& first = configs[active.front()];
  std::vector<FusionHead> stacked_heads;
  std::vector<at::Generator> generators;  // one per stacked row
  std::vector<double> learning_rates, weight_decays;
  for (const size_t i : active) {
    stacked_heads.push_back(heads[i]);
    generators.push_back(at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(configs[i].train.seed)));
    learning_rates.push_back(configs[i].train.lr);
    weight_decays.push_back(configs[i].train.weight_decay);
  }
  StackedFusionHead model(stacked_heads,
                          first.train.kernels == "fused" ? HeadKernels::kFused : HeadKernels::kAutograd);
  FlatAdam optimizer(model.parameters(), optimizer_options(first.train), model.size());
  optimizer.set_row_rates(learning_rates, weight_decays);
  if (optimizer_states)
    for (size_t r = 0; r < active.size(); ++r) optimizer.load_row((*optimizer_states)[active[r]], static_cast<int64_t>(r));
  BatchGatherer gatherer(data.train, model.size() * first.train.batch_size);

  while (!active.empty()) {
    // Stacked runs always share their epoch: they started together.
    const int64_t epoch = runs[active.front()].next_epoch();
    for (size_t r = 0; r < active.size(); ++r)
      generators[r].set_current_seed(epoch_seed(configs[active[r]].train.seed, epoch));
    const auto epoch_start = Clock::now();
    ProgressBar progress(
        "epoch " + std::to_string(epoch) + (active.size() > 1 ? " (" + std::to_string(active.size()) + " runs)" : ""),
        hooks.quiet ? 0 : data.train.size());
    std::vector<const Config*> rows;
    for (const size_t i : active) rows.push_back(&configs[i]);
    // Stacked rows share the task and its loss weights (train.class_weights is not a per-run key).
    const auto& loss_weights = runs[active.front()].metadata().loss_weights;
    const auto losses =
        train_stacked_epoch(model, optimizer, data.train, gatherer, rows, generators, loss_weights, progress);
    progress.finish();
    // Each run is charged its share of the epoch.
    const double seconds =
        std::chrono::duration<double>(Clock::now() - epoch_start).count() / static_cast<double>(active.size());

    std::vector<int64_t> keep;
    for (size_t r = 0; r < active.size(); ++r) {
      const size_t i = active[r];
      check_finite_loss(losses[r], epoch, configs[i].output.dir);
      model.copy_row_to(static_cast<int64_t>(r), heads[i]);
      runs[i].record_epoch(heads[i], optimizer, static_cast<int64_t>(r), data, losses[r], seconds);
      if (!runs[i].wants_epoch()) {
        results[i] = runs[i].finish(heads[i], data);
      } else if (hooks.pause_after_epoch > 0 && epoch >= hooks.pause_after_epoch) {
        runs[i].log().info("paused after epoch {} (successive halving rung); the checkpoint is kept", epoch);
        results[i] = paused_result(configs[i], epoch);
      } else {
        keep.push_back(static_cast<int64_t>(r));
      }
    }
    if (keep.size() == active.size()) continue;
    std::vector<size_t> still_active;
    std::vector<at::Generator> still_generators;
    for (int64_t r : keep) {
      still_active.push_back(active[static_cast<size_t>(r)]);
      still_generators.push_back(generators[static_cast<size_t>(r)]);
    }
    if (!keep.empty()) {
      optimizer.keep_rows(keep, model.parameters());
      model.keep_heads(keep);
    }
    active = std::move(still_active);
    generators = std::move(still_generators);
  }
}

}  // namespace

std::vector<TrainResult> train_stacked(const std::vector<Config>& configs, RunStart start, PreparedData& prepared,
                                       const TrainHooks& hooks) {
  const Config& first = configs.front();
  const int64_t threads = configure_threads(first.train.threads);
  const torch::Device device = select_device(first.train.device);
  const auto shared_data = prepared.get(first);
  const TrainingData& data = *shared_data;
  // The prepared data may come from another condition: each model is its run's
  // (stacked runs may differ in keys that keep the shapes, see can_train_together).
  std::vector<ModelMetadata> metadata(configs.size(), data.metadata);
  for (size_t i = 0; i < configs.size(); ++i) {
    metadata[i].config = configs[i];
    metadata[i].loss_weights = resolve_loss_weights(configs[i], data.train.target);
  }

  std::vector<std::string> seeds, varying;
  for (const auto& config : configs) seeds.push_back(std::to_string(config.train.seed));
  for (const auto& config : configs)
    for (const auto& difference : config_differences(first, config)) {
      const std::string key = difference.substr(0, difference.find(':'));
      if (key != "train.seed" && std::find(varying.begin(), varying.end(), key) == varying.end()) varying.push_back(key);
    }
  std::vector<RunRecorder> runs;
  std::vector<FusionHead> heads;
  runs.reserve(configs.size());
  std::vector<torch::serialize::InputArchive> optimizer_states(start == RunStart::kResume ? configs.size() : 0);
  for (size_t i = 0; i < configs.size(); ++i) {
    const Config& config = configs[i];
    runs.emplace_back(config, start, hooks, metadata[i]);
    runs.back().log().info("device {}, {} thread(s); fusion {}{}, modalities {}{}", device.str(), threads,
                           config.model.fusion,
                           config.model.fusion == "dynamic" ? " (" + config.model.gate + " gate)" : "",
                           join(config.data.modalities, "+"),
                           configs.size() > 1 ? "; trained as one stacked model with " + std::to_string(configs.size()) +
                                                    " runs (seeds " + join(seeds, ", ") + ")" +
                                                    (varying.empty() ? "" : "; the runs differ in " + join(varying, ", "))
                                              : "");
    heads.push_back(build_seeded_model(metadata[i], static_cast<uint64_t>(config.train.seed)));
    heads.back()->to(device);
    if (start == RunStart::kResume) runs.back().resume(heads.back(), optimizer_states[i]);
  }

  std::vector<TrainResult> results(configs.size());
  if (start == RunStart::kFresh) {
    std::vector<size_t> all(configs.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    train_rows(configs, runs, heads, all, nullptr, data, hooks, results);
    return results;
  }
  // Resumed runs: one resumed after its last epoch only needs finishing; the
  // others stack with those that stopped after the same epoch.
  std::map<int64_t, std::vector<size_t>> by_epoch;
  for (size_t i = 0; i < configs.size(); ++i) {
    if (!runs[i].wants_epoch())
      results[i] = runs[i].finish(heads[i], data);
    else if (hooks.pause_after_epoch > 0 && runs[i].next_epoch() > hooks.pause_after_epoch)
      results[i] = paused_result(configs[i], runs[i].next_epoch() - 1);
    else
      by_epoch[runs[i].next_epoch()].push_back(i);
  }
  for (const auto& [epoch, rows] : by_epoch) train_rows(configs, runs, heads, rows, &optimizer_states, data, hooks, results);
  return results;
}

}  // namespace daf
