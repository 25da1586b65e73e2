// The multiclass and multilabel tasks end to end through the library: targets
// read from label columns, label errors, loss weights, training, scores,
// stacked rows equal to runs alone.
#include "catch.h"

#include <cmath>
#include <filesystem>

#include "daf/config/config.h"
#include "daf/config/task.h"
#include "daf/data/cache_io.h"
#include "daf/eval/evaluation.h"
#include "daf/model/task_loss.h"
#include "daf/train/trainer.h"
#include "daf/util/atomic_file.h"
#include "daf/util/csv.h"
#include "daf/util/error.h"
#include "daf/util/logging.h"
#include "daf/util/strings.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using daf::test::TempDir;

namespace {

daf::EmbeddingCache emotion_cache(const std::string& emotions) {
  daf::SynthConfig c = daf::test::small_synth_config();
  c.emotions = emotions;
  return daf::generate_synthetic_cache(c);
}

std::vector<std::string> task_overrides(const std::string& task) {
  if (task == "multiclass")
    return {"model.task=multiclass", "data.target=emotion", "data.classes=[neutral, happy, sad, angry]"};
  return {"model.task=multilabel", "data.targets=[happiness, sadness, anger, surprise, disgust, fear]"};
}

daf::Config task_config(const TempDir& dir, const std::string& task, const std::string& run,
                        std::vector<std::string> extra = {}) {
  const std::string cache = dir.file(task + ".h5");
  if (!std::filesystem::exists(cache))
    daf::write_cache(cache, emotion_cache(task == "multiclass" ? "categorical" : "multilabel"));
  std::vector<std::string> overrides = {"data.cache=" + cache,  "output.dir=" + dir.file(run), "model.dim=16",
                                        "model.head_hidden=16", "model.gate_hidden=8",         "train.max_epochs=20",
                                        "train.lr=0.005",       "output.log_level=warn"};
  for (const auto& o : task_overrides(task)) overrides.push_back(o);
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  daf::setup_logging("warn");
  return daf::load_config("", overrides);
}

}  // namespace

TEST_CASE("multiclass trains on class indices and reports UAR, per-class scores and class weights", "[tasks]") {
  TempDir dir;
  const auto result = daf::train_model(task_config(dir, "multiclass", "run", {"train.class_weights=balanced"}));
  std::vector<std::string> names;
  for (const auto& [name, value] : result.test) names.push_back(name);
  CHECK(names == std::vector<std::string>{"accuracy", "F1_weighted", "F1_macro", "UAR", "loss"});
  // Well above chance (0.25), from 240 training utterances of 16/8/4 features.
  CHECK(daf::metric_value(result.test, "UAR") > 0.4);
  CHECK_THAT(daf::read_file(dir.file("run") + "/metrics.csv"), ContainsSubstring("valid_UAR"));

  // Balanced weights are n / (C * n_c) over the train split, recorded in model.yaml.
  const auto cache = emotion_cache("categorical");
  std::vector<double> counts(4, 0);
  for (float v : cache.splits.at("train").labels.at("emotion")) counts[static_cast<size_t>(v)] += 1;
  const std::string yaml = daf::read_file(dir.file("run") + "/model.yaml");
  const double n = static_cast<double>(cache.splits.at("train").size());
  CHECK_THAT(yaml, ContainsSubstring("loss_weights: [" + daf::format_number(static_cast<float>(n / (4 * counts[0])))));

  daf::EvalRequest request;
  request.model_dir = dir.file("run");
  const auto eval = daf::evaluate_model(request);
  CHECK(daf::metric_value(eval.scores.metrics, "UAR") == daf::metric_value(result.test, "UAR"));
  CHECK(eval.scores.confusion.size() == 4);
  CHECK(eval.scores.per_output.size() == 12);  // precision, recall, F1 per class
  const std::string predictions = daf::read_file(eval.out_dir + "/predictions.csv");
  CHECK_THAT(predictions, ContainsSubstring("id,label,true_class,predicted_class,probability_neutral,probability_happy,"
                                   "probability_sad,probability_angry,weight_text"));
  CHECK_THAT(eval.markdown, ContainsSubstring("| truth \\ predicted | neutral | happy | sad | angry |"));
  CHECK_THAT(eval.markdown, ContainsSubstring("## Per class") && ContainsSubstring("| class ") && ContainsSubstring(" text weight "));
  CHECK_THAT(daf::read_file(eval.out_dir + "/metrics.json"), ContainsSubstring("\"by_class\"") && ContainsSubstring("\"precision_sad\""));
}

TEST_CASE("multiclass labels must be class indices, the cache's class names must match", "[tasks]") {
  TempDir dir;
  auto cache = emotion_cache("categorical");
  cache.splits.at("valid").labels.at("emotion")[3] = 1.5f;
  daf::write_cache(dir.file("bad.h5"), cache);
  auto config = task_config(dir, "multiclass", "bad", {"data.cache=" + dir.file("bad.h5")});
  CHECK_THROWS_WITH(daf::train_model(config),
                    ContainsSubstring("bad.h5: /valid/labels/emotion row 3 (id synth_valid_000003): expected a class index 0..3 "
                             "(data.classes: neutral, happy, sad, angry), found 1.5"));
  cache = emotion_cache("categorical");
  cache.splits.at("test").labels.at("emotion")[0] = 4;
  daf::write_cache(dir.file("range.h5"), cache);
  CHECK_THROWS_WITH(daf::train_model(task_config(dir, "multiclass", "range", {"data.cache=" + dir.file("range.h5")})),
                    ContainsSubstring("/test/labels/emotion row 0") && ContainsSubstring("found 4"));

  // synth records classes.emotion; other names in data.classes are refused.
  CHECK_THROWS_WITH(daf::train_model(task_config(dir, "multiclass", "names",
                                                 {"data.classes=[neutral, happy, angry, sad]"})),
                    ContainsSubstring("holds the classes [neutral, happy, sad, angry] (attribute classes.emotion), but "
                             "data.classes is [neutral, happy, angry, sad]"));
}

TEST_CASE("multilabel trains one logit per label with presence = value > threshold", "[tasks]") {
  TempDir dir;
  const auto result = daf::train_model(task_config(dir, "multilabel", "run", {"train.pos_weight=balanced"}));
  std::vector<std::string> names;
  for (const auto& [name, value] : result.test) names.push_back(name);
  CHECK(names == std::vector<std::string>{"accuracy_mean", "WA_mean", "F1_macro", "F1_micro", "loss"});
  CHECK(daf::metric_value(result.test, "WA_mean") > 0.55);  // chance: 0.5

  daf::EvalRequest request;
  request.model_dir = dir.file("run");
  const auto eval = daf::evaluate_model(request);
  const std::string csv = daf::read_file(eval.out_dir + "/predictions.csv");
  CHECK_THAT(csv, ContainsSubstring("id,happiness,true_happiness,predicted_happiness,probability_happiness,sadness,"));
  CHECK_THAT(eval.markdown, ContainsSubstring("## Per label") && ContainsSubstring("| label present |") && ContainsSubstring("| happiness "));

  // The true presence column is the stored intensity > 0 (MOSEI's convention).
  const auto table = daf::read_csv(eval.out_dir + "/predictions.csv");
  const size_t value = table.column("fear", "p"), present = table.column("true_fear", "p");
  for (const auto& row : table.rows) CHECK((std::stod(row[value]) > 0) == (row[present] == "1"));
}

TEST_CASE("balanced loss weights follow scikit-learn and PyTorch's pos_weight convention", "[tasks]") {
  daf::Config config = daf::load_config(
      "", {"data.cache=x", "model.task=multiclass", "data.classes=[a, b, c]", "train.class_weights=balanced"});
  // 6 rows: class 0 x3, class 1 x2, class 2 x1 -> 6/(3*3), 6/(3*2), 6/(3*1).
  const auto weights = daf::resolve_loss_weights(config, torch::tensor({0, 0, 0, 1, 1, 2}, torch::kLong));
  CHECK(weights == std::vector<float>{6.0f / 9, 1.0f, 2.0f});
  CHECK_THROWS_WITH(daf::resolve_loss_weights(config, torch::tensor({0, 0, 1}, torch::kLong)),
                    ContainsSubstring("class 'c' has no utterance in the train split"));

  config = daf::load_config(
      "", {"data.cache=x", "model.task=multilabel", "data.targets=[p, q]", "train.pos_weight=balanced"});
  // Label p present in 1 of 4 rows: 3 negatives / 1 positive; q in 2 of 4: 1.
  const auto presence = torch::tensor({1.f, 1.f, 0.f, 1.f, 0.f, 0.f, 0.f, 0.f}).view({4, 2});
  CHECK(daf::resolve_loss_weights(config, presence) == std::vector<float>{3.0f, 1.0f});

  // The weighted loss is PyTorch's: sum w_y * nll / sum w_y, per stacked run too.
  config = daf::load_config("", {"data.cache=x", "model.task=multiclass", "data.classes=[a, b, c]",
                                 "train.class_weights=[1, 2, 4]"});
  const auto logits = torch::tensor({0.5f, -1.f, 2.f, 1.f, 0.f, 0.f}).view({2, 3});
  const auto target = torch::tensor({2, 1}, torch::kLong);
  const std::vector<float> w = {1, 2, 4};
  const auto lse0 = std::log(std::exp(0.5) + std::exp(-1.0) + std::exp(2.0));
  const auto lse1 = std::log(std::exp(1.0) + 2.0);
  const double expected = (4 * (lse0 - 2.0) + 2 * (lse1 - 0.0)) / 6;
  CHECK(daf::task_loss(logits, target, config, w).item<double>() == Approx(expected).epsilon(1e-6));
  const std::vector<const daf::Config*> rows = {&config, &config};
  const auto stacked = daf::task_loss_per_run(torch::stack({logits, logits.flip(0)}),
                                              torch::stack({target, target.flip(0)}), rows, w);
  CHECK(stacked[0].item<double>() == Approx(expected).epsilon(1e-6));
  CHECK(stacked[1].item<double>() == Approx(expected).epsilon(1e-6));
}

TEST_CASE("stacked multiclass and multilabel runs compute what each computes alone", "[tasks]") {
  TempDir dir;
  for (const std::string task : {"multiclass", "multilabel"}) {
    INFO(task);
    const std::string weights = task == "multiclass" ? "train.class_weights=balanced" : "train.pos_weight=balanced";
    const auto alone = daf::train_model(task_config(dir, task, task + "-alone", {weights, "train.seed=7"}));
    const auto cache = daf::read_cache(dir.file(task + ".h5"));
    const auto together = daf::train_models_together(
        {task_config(dir, task, task + "-a", {weights, "train.seed=7"}),
         task_config(dir, task, task + "-b", {weights, "train.seed=8"})},
        cache);
    CHECK(together[0].test == alone.test);
    CHECK(together[0].best_epoch == alone.best_epoch);
    CHECK(together[1].test != alone.test);
  }
}
