#include <algorithm>
#include <torch/torch.h>

#include "catch.h"
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daf/config/config.h"
#include "daf/eval/evaluation.h"
#include "daf/model/model_io.h"
#include "daf/train/trainer.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/logging.h"
#include "daf/util/sha256.h"
#include "daf/util/strings.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using daf::test::TempDir;

namespace {

struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

daf::Config small_config(const TempDir& dir, const std::string& run, std::vector<std::string> extra = {}) {
  if (!std::filesystem::exists(dir.file("cache.h5"))) daf::write_cache(dir.file("cache.h5"), daf::test::small_cache());
  std::vector<std::string> overrides = {"data.cache=" + dir.file("cache.h5"), "output.dir=" + dir.file(run),
                                        "model.dim=16", "model.head_hidden=16", "model.gate_hidden=8",
                                        "train.max_epochs=6", "train.threads=1", "output.log_level=warn"};
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  daf::setup_logging("warn");
  return daf::load_config("", overrides);
}

// metrics.csv without the timing columns (seconds, samples/s), which vary run to run.
std::string metrics_without_timing(const std::string& run_dir) {
  std::istringstream in(daf::read_file(run_dir + "/metrics.csv"));
  std::string line, out;
  while (std::getline(in, line)) {
    auto cells = daf::split(line, ',');
    cells.resize(cells.size() - 2);
    out += daf::join(cells, ",") + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("training writes a complete run directory", "[train]") {
  TempDir dir;
  const auto result = daf::train_model(small_config(dir, "run"));
  for (const auto* file : {"config.yaml", "model.pt", "model.yaml", "metrics.csv", "train.log", "final_metrics.json",
                           "final_metrics.csv"})
    CHECK(std::filesystem::exists(dir.file("run") + "/" + file));
  CHECK_FALSE(std::filesystem::exists(dir.file("run") + "/checkpoint.pt"));
  CHECK(result.epochs == 6);
  CHECK(result.best_epoch >= 1);
  CHECK(daf::metric_value(result.test, "MAE") < 1.5);
  const std::string csv = daf::read_file(dir.file("run") + "/metrics.csv");
  CHECK_THAT(csv, ContainsSubstring("epoch,train_loss,valid_Has0_acc_2"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 7);
  CHECK_THAT(daf::read_file(dir.file("run") + "/model.yaml"), ContainsSubstring("normalization:") && ContainsSubstring("input_dims: [16, 8, 4]"));
}

TEST_CASE("same config and seed give identical numbers but another seed does not", "[train]") {
  TempDir dir;
  const auto a = daf::train_model(small_config(dir, "a", {"train.modality_dropout=0.3"}));
  const auto b = daf::train_model(small_config(dir, "b", {"train.modality_dropout=0.3"}));
  CHECK(a.test == b.test);
  CHECK(metrics_without_timing(dir.file("a")) == metrics_without_timing(dir.file("b")));
  const auto c = daf::train_model(small_config(dir, "c", {"train.modality_dropout=0.3", "train.seed=2"}));
  CHECK(a.test != c.test);
}

TEST_CASE("an interrupted run resumes to the same result as an uninterrupted one", "[train]") {
  TempDir dir;
  const auto straight = daf::train_model(small_config(dir, "straight"));

  const auto config = small_config(dir, "resumed");
  daf::TrainHooks stop_after_3;
  stop_after_3.after_epoch = [](int64_t epoch, const daf::MetricValues&) {
    if (epoch == 3) throw Interrupted();
  };
  CHECK_THROWS_AS(daf::train_model(config, stop_after_3), Interrupted);
  CHECK(std::filesystem::exists(dir.file("resumed") + "/checkpoint.pt"));
  CHECK_FALSE(std::filesystem::exists(dir.file("resumed") + "/final_metrics.json"));

  // A different config must not continue that run.
  CHECK_THROWS_WITH(daf::train_model(small_config(dir, "resumed", {"train.lr=0.01"})),
                    ContainsSubstring("interrupted run with a different config") && ContainsSubstring("train.lr"));

  const auto resumed = daf::train_model(config);
  CHECK(resumed.epochs == straight.epochs);
  CHECK(resumed.test == straight.test);
  CHECK(metrics_without_timing(dir.file("resumed")) == metrics_without_timing(dir.file("straight")));
}

TEST_CASE("a finished run is not overwritten unless asked", "[train]") {
  TempDir dir;
  daf::train_model(small_config(dir, "run", {"train.max_epochs=1"}));
  CHECK_THROWS_WITH(daf::train_model(small_config(dir, "run", {"train.max_epochs=1"})),
                    ContainsSubstring("holds a finished run") && ContainsSubstring("output.overwrite=true"));
  CHECK_NOTHROW(daf::train_model(small_config(dir, "run", {"train.max_epochs=1", "output.overwrite=true"})));
}

TEST_CASE("early stopping respects patience", "[train]") {
  TempDir dir;
  const auto result = daf::train_model(small_config(dir, "run", {"train.max_epochs=40", "train.patience=2"}));
  CHECK(result.epochs - result.best_epoch <= 2);
  CHECK(result.epochs < 40);
}

TEST_CASE("bad training input fails with the file and key named", "[train]") {
  TempDir dir;
  CHECK_THROWS_WITH(daf::train_model(small_config(dir, "run", {"data.modalities=[text, vision]"})),
                    ContainsSubstring("cache.h5: /train/features has no modality 'vision'"));
  CHECK_THROWS_WITH(daf::train_model(small_config(dir, "run2", {"data.target=valence"})),
                    ContainsSubstring("/train/labels has no label 'valence'"));
  CHECK_THROWS_WITH(daf::train_model(small_config(dir, "run3", {"data.cache=" + dir.file("nope.h5")})),
                    ContainsSubstring("nope.h5: cannot open file"));
  if (!torch::cuda::is_available())
    CHECK_THROWS_WITH(daf::train_model(small_config(dir, "run4", {"train.device=cuda"})), ContainsSubstring("train.device=cuda"));
}

TEST_CASE("evaluation writes predictions and metrics and gate reports, and masking zeroes a modality", "[eval]") {
  TempDir dir;
  daf::train_model(small_config(dir, "run"));
  daf::EvalRequest request;
  request.model_dir = dir.file("run");
  request.threads = 1;
  const auto full = daf::evaluate_model(request);
  CHECK(full.out_dir == dir.file("run") + "/eval/test");
  const std::string csv = daf::read_file(full.out_dir + "/predictions.csv");
  CHECK_THAT(csv, ContainsSubstring("id,label,prediction,weight_text,weight_audio,weight_video,speaker\nsynth_test_000000,"));
  CHECK_THAT(daf::read_file(full.out_dir + "/metrics.json"), ContainsSubstring("\"Has0_F1_score\"") && ContainsSubstring("\"by_sentiment\""));
  CHECK_THAT(full.markdown, ContainsSubstring("## Fusion weights"));

  request.masked = {"audio"};
  const auto masked = daf::evaluate_model(request);
  CHECK(masked.out_dir == dir.file("run") + "/eval/test-mask-audio");
  std::istringstream rows(daf::read_file(masked.out_dir + "/predictions.csv"));
  std::string line;
  std::getline(rows, line);
  int checked = 0;
  while (std::getline(rows, line)) {
    CHECK(daf::split(line, ',')[4] == "0.000000");
    ++checked;
  }
  CHECK(checked == 80);

  request.masked = {"audoi"};
  CHECK_THROWS_WITH(daf::evaluate_model(request), ContainsSubstring("--mask audoi") && ContainsSubstring("did you mean 'audio'?"));
  request.masked = {"text", "audio", "video"};
  CHECK_THROWS_WITH(daf::evaluate_model(request), ContainsSubstring("leaves no input"));
}

TEST_CASE("classification runs report accuracy, F1 and a confusion matrix", "[eval]") {
  TempDir dir;
  const auto result = daf::train_model(small_config(dir, "run", {"model.task=seven_class", "model.fusion=concat"}));
  CHECK(daf::metric_value(result.test, "accuracy") > 0.0);
  daf::EvalRequest request;
  request.model_dir = dir.file("run");
  request.split = "valid";
  const auto eval = daf::evaluate_model(request);
  CHECK_THAT(eval.markdown, ContainsSubstring("## Confusion matrix") && ContainsSubstring("F1_macro"));
  CHECK_THAT(daf::read_file(eval.out_dir + "/predictions.csv"), ContainsSubstring("id,label,true_class,predicted_class,probability_-3,probability_-2,"));
}

TEST_CASE("the dynamic gate down-weights the view that the data corrupted", "[train][daf]") {
  TempDir dir;
  auto synth = daf::test::small_synth_config(1200, 300, 300);
  daf::write_cache(dir.file("cache.h5"), daf::generate_synthetic_cache(synth));
  daf::train_model(small_config(dir, "run", {"train.max_epochs=15", "train.threads=2"}));
  daf::EvalRequest request;
  request.model_dir = dir.file("run");
  daf::evaluate_model(request);
  // Compare the text weight on utterances with a noisy text view against clean ones.
  const auto cache = daf::read_cache(dir.file("cache.h5"));
  const auto& noisy = cache.splits.at("test").labels.at("noisy_text");
  std::istringstream rows(daf::read_file(dir.file("run") + "/eval/test/predictions.csv"));
  std::string line;
  std::getline(rows, line);
  double noisy_sum = 0, clean_sum = 0;
  int noisy_n = 0, clean_n = 0;
  for (size_t i = 0; std::getline(rows, line); ++i) {
    const double w = std::stod(daf::split(line, ',')[3]);
    if (noisy[i] > 0.5) {
      noisy_sum += w;
      ++noisy_n;
    } else {
      clean_sum += w;
      ++clean_n;
    }
  }
  INFO("text weight: noisy " << noisy_sum / noisy_n << ", clean " << clean_sum / clean_n);
  CHECK(noisy_sum / noisy_n < 0.85 * (clean_sum / clean_n));
}

namespace {

void zero_bytes(const std::string& path, size_t offset, size_t count) {
  std::string bytes = daf::read_file(path);
  REQUIRE(bytes.size() > offset + count);
  std::fill(bytes.begin() + static_cast<long>(offset), bytes.begin() + static_cast<long>(offset + count), '\0');
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace

TEST_CASE("model.pt's SHA-256 is recorded in model.yaml and checked on load", "[train][integrity]") {
  TempDir dir;
  daf::train_model(small_config(dir, "run", {"train.max_epochs=2"}));
  const std::string run = dir.file("run");
  const auto metadata = daf::load_model_metadata(run + "/model.yaml");
  CHECK(metadata.weights_sha256 == daf::sha256_file(run + "/model.pt"));
  CHECK_NOTHROW(daf::load_model(run));
  const std::string good = daf::read_file(run + "/model.pt");
  zero_bytes(run + "/model.pt", 3000, 2000);
  CHECK_THROWS_WITH(daf::load_model(run), ContainsSubstring(run + "/model.pt: SHA-256 ") &&
                                              ContainsSubstring("differs from " + metadata.weights_sha256) &&
                                              ContainsSubstring("recorded in model.yaml"));
  // Weights that do not belong to the model model.yaml describes: shapes named.
  std::ofstream(run + "/model.pt", std::ios::binary | std::ios::trunc) << good;
  auto other = metadata;
  other.config.model.dim = 24;
  other.weights_sha256.clear();
  daf::save_model_metadata(run + "/model.yaml", other);
  CHECK_THROWS_WITH(daf::load_model(run), ContainsSubstring("model.pt: parameter '") && ContainsSubstring("has shape [16") &&
                                              ContainsSubstring("model.yaml describes a model whose"));
}

TEST_CASE("a damaged checkpoint is refused with both digests instead of resumed", "[train][integrity]") {
  TempDir dir;
  const auto config = small_config(dir, "run");
  daf::TrainHooks stop_after_2;
  stop_after_2.after_epoch = [](int64_t epoch, const daf::MetricValues&) {
    if (epoch == 2) throw Interrupted();
  };
  CHECK_THROWS_AS(daf::train_model(config, stop_after_2), Interrupted);
  const std::string checkpoint = dir.file("run") + "/checkpoint.pt";
  CHECK(daf::read_file(checkpoint).rfind("daf-checkpoint sha256=", 0) == 0);
  zero_bytes(checkpoint, 4000, 2000);
  CHECK_THROWS_WITH(daf::train_model(config), ContainsSubstring(checkpoint + ": SHA-256 ") && ContainsSubstring("its own record"));
}


TEST_CASE("modality dropout per modality", "[train]") {
  TempDir dir;
  // One rate written either way trains identically; another rate for one modality does not.
  const auto a = daf::train_model(small_config(dir, "a", {"train.modality_dropout=0.3"}));
  const auto b = daf::train_model(
      small_config(dir, "b", {"train.modality_dropout={text: 0.3, audio: 0.3, video: 0.3}"}));
  CHECK(a.test == b.test);
  CHECK(metrics_without_timing(dir.file("a")) == metrics_without_timing(dir.file("b")));
  const auto c = daf::train_model(small_config(dir, "c", {"train.modality_dropout={text: 0.3, audio: 0.6}"}));
  CHECK(a.test != c.test);
  CHECK_THAT(daf::read_file(dir.file("c") + "/config.yaml"), ContainsSubstring("modality_dropout: {audio: 0.6, text: 0.3}"));
}
