// Stacked (batched multi-seed) training against separate runs.
#include <algorithm>
#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

#include "catch.h"
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include "daf/config/config.h"
#include "daf/metrics/statistics.h"
#include "daf/model/stacked_fusion_head.h"
#include "train/training_data.h"
#include "daf/train/flat_adam.h"
#include "daf/train/trainer.h"
#include "daf/util/atomic_file.h"
#include "daf/util/logging.h"
#include "daf/util/strings.h"
#include "test_helpers.h"

using daf::test::TempDir;

namespace {

const std::vector<int64_t> kDims = {6, 5, 3};

daf::ModelConfig model_config(const std::string& fusion, const std::string& gate, const std::string& task) {
  daf::ModelConfig c = daf::load_config("", {"data.cache=x", "model.task=" + task}).model;
  c.fusion = fusion;
  c.gate = gate;
  c.dim = 8;
  c.gate_hidden = 4;
  c.head_hidden = 8;
  c.dropout = 0.3;
  c.head_dropout = 0.2;
  return c;
}

double max_difference(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

struct Variant {
  std::string fusion, gate, task;
  std::vector<int64_t> dims;
};

std::vector<Variant> variants() {
  return {{"dynamic", "additive", "regression", kDims}, {"dynamic", "joint", "regression", kDims},
          {"static", "additive", "regression", kDims},  {"mean", "additive", "binary", kDims},
          {"concat", "additive", "seven_class", kDims}, {"dynamic", "additive", "regression", {6}}};
}

}  // namespace

TEST_CASE("a stacked head computes what its heads compute separately, dropout included", "[model][stacked]") {
  for (const auto& v : variants()) {
    INFO(v.fusion << "/" << v.gate << " " << v.task << " with " << v.dims.size() << " modalities");
    const int64_t outputs = v.task == "regression" ? 1 : v.task == "binary" ? 2 : 7;
    const int64_t heads = 3, batch = 5, modalities = static_cast<int64_t>(v.dims.size());
    std::vector<daf::FusionHead> separate;
    for (int64_t s = 0; s < heads; ++s) {
      torch::manual_seed(100 + s);
      separate.emplace_back(model_config(v.fusion, v.gate, v.task), v.dims, outputs);
    }
    daf::StackedFusionHead stacked(separate);
    REQUIRE(stacked.size() == heads);

    std::vector<torch::Tensor> inputs;
    for (int64_t d : v.dims) inputs.push_back(torch::randn({heads, batch, d}));
    auto present = (torch::rand({heads, batch, modalities}) > 0.3).to(torch::kFloat);
    present.select(2, 0).fill_(1);

    for (const bool training : {false, true}) {
      INFO((training ? "training" : "evaluation"));
      std::vector<at::Generator> generators;
      for (int64_t s = 0; s < heads; ++s) generators.push_back(at::make_generator<at::CPUGeneratorImpl>(7 + s));
      const auto out = stacked.forward(inputs, present, training ? &generators : nullptr);
      // Stacked gradients: the sum of the heads' outputs, so each row gets its own head's gradient.
      for (const auto& p : stacked.parameters()) p.mutable_grad() = torch::Tensor();
      out.output.sum().backward();
      for (int64_t s = 0; s < heads; ++s) {
        auto& head = separate[static_cast<size_t>(s)];
        training ? head->train() : head->eval();
        head->set_generator(at::make_generator<at::CPUGeneratorImpl>(7 + s));
        head->zero_grad();
        std::vector<torch::Tensor> own;
        for (const auto& x : inputs) own.push_back(x[s]);
        const auto expected = head->forward(own, present[s]);
        CHECK(max_difference(out.output[s], expected.output) < 1e-5);
        if (expected.weights.defined()) CHECK(max_difference(out.weights[s], expected.weights) < 1e-5);
        expected.output.sum().backward();
        const auto own_parameters = head->parameters();
        for (size_t k = 0; k < own_parameters.size(); ++k)
          CHECK(max_difference(stacked.parameters()[k].grad()[s], own_parameters[k].grad()) < 1e-5);
      }
    }
  }
}

TEST_CASE("stacked flat Adam clips each row on its own, drops rows and saves a row as a single run", "[train][stacked]") {
  torch::manual_seed(3);
  const auto initial = torch::randn({3, 4, 2});
  auto stacked = initial.clone().set_requires_grad(true);
  daf::FlatAdamOptions options;
  options.lr = 0.1;
  daf::FlatAdam together({stacked}, options, 3);
  std::vector<torch::Tensor> alone;
  std::vector<std::unique_ptr<daf::FlatAdam>> optimizers;
  for (int64_t r = 0; r < 3; ++r) {
    alone.push_back(initial[r].clone().set_requires_grad(true));
    optimizers.push_back(std::make_unique<daf::FlatAdam>(std::vector<torch::Tensor>{alone.back()}, options));
  }
  const auto scale = torch::tensor({0.01f, 1.0f, 100.0f}).view({3, 1, 1});  // row 0 under the clip, 2 far over
  for (int step = 0; step < 4; ++step) {
    together.zero_grad();
    (stacked * stacked * scale).sum().backward();
    together.clip_grad_norm(1.0);
    together.step();
    for (int64_t r = 0; r < 3; ++r) {
      auto& optimizer = *optimizers[static_cast<size_t>(r)];
      optimizer.zero_grad();
      (alone[static_cast<size_t>(r)] * alone[static_cast<size_t>(r)] * scale[r]).sum().backward();
      optimizer.clip_grad_norm(1.0);
      optimizer.step();
    }
  }
  for (int64_t r = 0; r < 3; ++r) CHECK(max_difference(stacked[r], alone[static_cast<size_t>(r)]) < 1e-6);

  together.keep_rows({0, 2}, {stacked});
  CHECK(together.rows() == 2);
  CHECK(stacked.sizes() == torch::IntArrayRef({2, 4, 2}));
  CHECK(max_difference(stacked[1], alone[2]) < 1e-6);

  // Row 1 (run 2) saved and loaded by a single-run optimizer: the next steps agree.
  torch::serialize::OutputArchive archive;
  together.save_row(archive, 1);
  std::stringstream buffer;
  archive.save_to(buffer);
  auto reloaded = stacked[1].detach().clone().set_requires_grad(true);
  daf::FlatAdam single({reloaded}, options);
  torch::serialize::InputArchive input;
  input.load_from(buffer);
  single.load(input);
  for (int step = 0; step < 3; ++step) {
    together.zero_grad();
    (stacked * stacked).sum().backward();
    together.step();
    single.zero_grad();
    (reloaded * reloaded).sum().backward();
    single.step();
  }
  CHECK(max_difference(stacked[1], reloaded) < 1e-6);
}

namespace {

daf::Config run_config(const TempDir& dir, const std::string& run, int64_t seed, std::vector<std::string> extra = {}) {
  if (!std::filesystem::exists(dir.file("cache.h5"))) daf::write_cache(dir.file("cache.h5"), daf::test::small_cache());
  std::vector<std::string> overrides = {
      "data.cache=" + dir.file("cache.h5"), "output.dir=" + dir.file(run), "model.dim=16", "model.head_hidden=16",
      "model.gate_hidden=8", "train.max_epochs=8", "train.batch_size=16", "train.threads=1",
      "train.modality_dropout=0.2", "train.seed=" + std::to_string(seed), "output.log_level=warn"};
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  daf::setup_logging("warn");
  return daf::load_config("", overrides);
}

std::vector<double> column(const std::string& run_dir, const std::string& name) {
  std::istringstream in(daf::read_file(run_dir + "/metrics.csv"));
  std::string line;
  std::getline(in, line);
  const auto header = daf::split(line, ',');
  const size_t index = static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  std::vector<double> values;
  while (std::getline(in, line)) values.push_back(std::stod(daf::split(line, ',').at(index)));
  return values;
}

}  // namespace

TEST_CASE("runs trained together match separate runs", "[train][stacked]") {
  TempDir dir;
  const daf::EmbeddingCache cache = daf::test::small_cache();
  int variant = 0;
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {"model.fusion=dynamic"}, {"model.fusion=concat", "train.loss=mse"}, {"model.task=seven_class"}}) {
    INFO(daf::join(extra, " "));
    const std::string prefix = std::to_string(++variant) + "-";
    const std::vector<int64_t> seeds = {11, 12, 13, 14, 15};
    std::vector<daf::Config> together;
    std::vector<double> separate_mae, together_mae;
    const std::string metric = extra.back() == "model.task=seven_class" ? "accuracy" : "MAE";
    for (int64_t seed : seeds) {
      const auto separate = daf::train_model(run_config(dir, prefix + "alone-" + std::to_string(seed), seed, extra), cache);
      separate_mae.push_back(daf::metric_value(separate.test, metric));
      together.push_back(run_config(dir, prefix + "together-" + std::to_string(seed), seed, extra));
    }
    const auto results = daf::train_models_together(together, cache);
    REQUIRE(results.size() == seeds.size());
    for (size_t i = 0; i < seeds.size(); ++i) {
      const std::string alone = dir.file(prefix + "alone-" + std::to_string(seeds[i]));
      const std::string stacked = dir.file(prefix + "together-" + std::to_string(seeds[i]));
      INFO("seed " << seeds[i]);
      // Same initialisation, data order and dropout: the first epoch agrees to float rounding.
      CHECK(std::abs(column(alone, "train_loss").at(0) - column(stacked, "train_loss").at(0)) < 1e-5);
      CHECK(results[i].epochs == 8);
      for (const auto* file : {"config.yaml", "model.pt", "model.yaml", "metrics.csv", "train.log",
                               "final_metrics.json", "final_metrics.csv"})
        CHECK(std::filesystem::exists(stacked + "/" + file));
      CHECK_FALSE(std::filesystem::exists(stacked + "/checkpoint.pt"));
      CHECK(daf::read_file(stacked + "/config.yaml") == daf::config_to_yaml(together[i]));
      together_mae.push_back(daf::metric_value(results[i].test, metric));
    }
    // After 8 epochs rounding has had time to grow; the final numbers agree within seed noise.
    const auto separate_stats = daf::mean_std(separate_mae);
    const auto together_stats = daf::mean_std(together_mae);
    INFO("separate " << separate_stats.mean << " +- " << separate_stats.std << ", together " << together_stats.mean);
    CHECK(std::abs(together_stats.mean - separate_stats.mean) <= separate_stats.std);
    CHECK(daf::read_file(dir.file(prefix + "together-11") + "/train.log").find("trained as one stacked model with 5 runs") !=
          std::string::npos);
  }
}

TEST_CASE("runs trained together stop early on their own, pause and resume together", "[train][stacked]") {
  TempDir dir;
  const daf::EmbeddingCache cache = daf::test::small_cache();
  const std::vector<std::string> extra = {"train.patience=2", "train.max_epochs=40", "train.lr=0.01"};
  const std::vector<int64_t> seeds = {21, 22, 23, 24};
  auto configs = [&](const std::string& name) {
    std::vector<daf::Config> out;
    for (int64_t seed : seeds) out.push_back(run_config(dir, name + "-" + std::to_string(seed), seed, extra));
    return out;
  };
  const auto straight = daf::train_models_together(configs("straight"), cache);
  std::set<int64_t> stops;
  for (size_t i = 0; i < seeds.size(); ++i) {
    INFO("seed " << seeds[i]);
    const auto alone = daf::train_model(run_config(dir, "alone-" + std::to_string(seeds[i]), seeds[i], extra), cache);
    CHECK(straight[i].epochs == alone.epochs);
    CHECK(straight[i].best_epoch == alone.best_epoch);
    CHECK(straight[i].epochs < 40);
    CHECK(column(dir.file("straight-" + std::to_string(seeds[i])), "epoch").size() == static_cast<size_t>(alone.epochs));
    stops.insert(straight[i].epochs);
  }
  CHECK(stops.size() > 1);  // the runs left the stack at different epochs

  // Killed after epoch 3: every run has a checkpoint and resumes on its own.
  daf::TrainHooks hooks;
  hooks.after_epoch = [](int64_t epoch, const daf::MetricValues&) {
    if (epoch == 3) throw std::runtime_error("interrupted");
  };
  CHECK_THROWS_WITH(daf::train_models_together(configs("resumed"), cache, hooks), "interrupted");
  const auto resumed = daf::train_models_together(configs("resumed"), cache);
  for (size_t i = 0; i < seeds.size(); ++i) {
    INFO("seed " << seeds[i]);
    CHECK(resumed[i].epochs == straight[i].epochs);
    CHECK(std::abs(daf::metric_value(resumed[i].test, "MAE") - daf::metric_value(straight[i].test, "MAE")) < 1e-4);
  }
  CHECK(daf::read_file(dir.file("resumed-21") + "/train.log").find("resuming after epoch") != std::string::npos);

  // Paused after epoch 3 (a halving rung): checkpoints, no final metrics; resumed
  // together (the rows stopped after the same epoch), they end as if never paused.
  daf::TrainHooks pause;
  pause.pause_after_epoch = 3;
  const auto paused = daf::train_models_together(configs("paused"), cache, pause);
  for (size_t i = 0; i < seeds.size(); ++i) {
    const std::string run = dir.file("paused-" + std::to_string(seeds[i]));
    CHECK(paused[i].paused);
    CHECK(paused[i].epochs == 3);
    CHECK(std::filesystem::exists(run + "/checkpoint.pt"));
    CHECK_FALSE(std::filesystem::exists(run + "/final_metrics.json"));
  }
  // Paused again at the same rung: nothing to train.
  CHECK(daf::train_models_together(configs("paused"), cache, pause)[0].paused);
  const auto continued = daf::train_models_together(configs("paused"), cache);
  for (size_t i = 0; i < seeds.size(); ++i) {
    INFO("seed " << seeds[i]);
    CHECK_FALSE(continued[i].paused);
    CHECK(continued[i].epochs == straight[i].epochs);
    CHECK(continued[i].best_epoch == straight[i].best_epoch);
    CHECK(daf::metric_value(continued[i].test, "MAE") == daf::metric_value(straight[i].test, "MAE"));
    CHECK(column(dir.file("paused-" + std::to_string(seeds[i])), "valid_MAE") ==
          column(dir.file("straight-" + std::to_string(seeds[i])), "valid_MAE"));
  }
}

TEST_CASE("modality dropout draws each modality's own rate", "[train]") {
  std::vector<at::Generator> generators{at::make_generator<at::CPUGeneratorImpl>(5)};
  const auto present = torch::ones({1, 20000, 3});
  const auto keep = daf::drop_modalities(present, {{0.0, 0.5, 0.9}}, generators);
  const auto kept = keep.mean(1).squeeze(0);  // fraction kept per modality
  CHECK(kept[0].item<double>() == 1.0);      // rate 0: never masked, so no utterance loses everything
  CHECK(kept[1].item<double>() == Approx(0.5).margin(0.02));
  CHECK(kept[2].item<double>() == Approx(0.1).margin(0.02));
  // With every modality at 0.9, an utterance that lost all of them gets one back.
  const auto all = daf::drop_modalities(present, {{0.9, 0.9, 0.9}}, generators);
  CHECK(all.sum(2).min().item<double>() == 1.0);
}

TEST_CASE("runs that differ in hyper-parameters train together as they train alone", "[train][stacked]") {
  TempDir dir;
  const daf::EmbeddingCache cache = daf::test::small_cache();
  // One row per key that may differ (daf::per_run_keys()); the stacked rows must
  // compute exactly what each computes alone.
  const std::vector<std::vector<std::string>> rows = {
      {},
      {"train.lr=0.003"},
      {"train.weight_decay=0.01"},
      {"train.grad_clip=0.05"},
      {"model.dropout=0.3", "model.head_dropout=0"},
      {"model.head_dropout=0.4"},
      {"model.temperature=2.5"},
      {"train.loss=mse"},
      {"train.modality_dropout={audio: 0.5}"},
      {"train.modality_dropout=0"},
      {"train.seed=99"}};
  std::vector<daf::Config> together;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::vector<std::string> extra = {"model.dropout=0.1"};  // then the row's own values, which win
    extra.insert(extra.end(), rows[r].begin(), rows[r].end());
    daf::train_model(run_config(dir, "alone-" + std::to_string(r), 7, extra), cache);
    together.push_back(run_config(dir, "together-" + std::to_string(r), 7, extra));
  }
  for (const auto& config : together) REQUIRE(daf::can_train_together(together.front(), config));
  const auto results = daf::train_models_together(together, cache);
  REQUIRE(results.size() == rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    INFO(daf::join(rows[r], " "));
    const std::string alone = dir.file("alone-" + std::to_string(r)), stacked = dir.file("together-" + std::to_string(r));
    CHECK(column(alone, "train_loss") == column(stacked, "train_loss"));
    CHECK(column(alone, "valid_MAE") == column(stacked, "valid_MAE"));
    CHECK(daf::read_file(alone + "/final_metrics.csv") == daf::read_file(stacked + "/final_metrics.csv"));
    CHECK(daf::read_file(stacked + "/config.yaml") == daf::config_to_yaml(together[r]));
  }
  CHECK(daf::read_file(dir.file("together-1") + "/train.log").find("the runs differ in train.lr") != std::string::npos);

  // Keys that change shapes or the data keep runs apart, and say which.
  auto other = together.front();
  other.model.dim = 32;
  other.model.fusion = "static";
  CHECK_FALSE(daf::can_train_together(together.front(), other));
  const auto blockers = daf::stacking_blockers(together.front(), other);
  REQUIRE(blockers.size() == 2);
  CHECK(blockers[0].rfind("model.fusion: ", 0) == 0);
  CHECK(blockers[1].rfind("model.dim: ", 0) == 0);
}
