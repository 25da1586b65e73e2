#include "catch.h"
#include <fstream>

#include "daf/analysis/paired_comparison.h"
#include "daf/ablate/sweep.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using Approx = Catch::Approx;
using daf::test::TempDir;

namespace {

std::string write_sweep(const TempDir& dir, const std::string& body) {
  if (!std::filesystem::exists(dir.file("c.h5"))) daf::write_cache(dir.file("c.h5"), daf::test::small_cache());
  std::ofstream(dir.file("base.yaml")) << "data: {cache: " << dir.file("c.h5") << "}\n";
  std::ofstream(dir.file("sweep.yaml")) << body;
  return dir.file("sweep.yaml");
}

}  // namespace

TEST_CASE("grids expand in order, with exclusions and readable names", "[ablate]") {
  TempDir dir;
  const auto sweep = daf::load_sweep(write_sweep(dir,
                                                 "base: base.yaml\n"
                                                 "grid:\n"
                                                 "  model.fusion: [dynamic, mean]\n"
                                                 "  data.modalities: [[text], [text, audio]]\n"
                                                 "exclude: [{model.fusion: mean, data.modalities: [text]}]\n"
                                                 "seeds: [5, 6]\n"
                                                 "output: out\n"));
  std::vector<std::string> names;
  for (const auto& c : sweep.conditions) names.push_back(c.name);
  CHECK(names == std::vector<std::string>{"fusion=dynamic,modalities=text", "fusion=dynamic,modalities=text+audio",
                                          "fusion=mean,modalities=text+audio"});
  const auto runs = sweep.runs();
  REQUIRE(runs.size() == 6);
  CHECK(runs[1].seed == 6);
  CHECK(runs[1].config.train.seed == 6);
  CHECK(runs[1].dir == "out/fusion=dynamic,modalities=text/seed-6");
  CHECK(runs[5].config.data.modalities == std::vector<std::string>{"text", "audio"});
  CHECK(runs[5].config.model.fusion == "mean");
  CHECK(sweep.evaluations.size() == 1);
  CHECK(sweep.reference.empty());  // no dynamic/static conditions: no default comparison
}

TEST_CASE("named conditions, evaluations and comparison", "[ablate]") {
  TempDir dir;
  const auto sweep = daf::load_sweep(
      write_sweep(dir,
                  "base: base.yaml\n"
                  "set: {train.max_epochs: 3}\n"
                  "conditions:\n"
                  "  - {name: dynamic, set: {model.fusion: dynamic}}\n"
                  "  - {name: static, set: {model.fusion: static}}\n"
                  "seeds: [1]\n"
                  "evaluate: {mask: [audio], noise: {modalities: [text, video], std: [0.5, 2]}}\n"),
      {"train.lr=0.01"});
  CHECK(sweep.reference == "dynamic");
  CHECK(sweep.baseline == "static");
  std::vector<std::string> evals;
  for (const auto& e : sweep.evaluations) evals.push_back(e.name);
  CHECK(evals == std::vector<std::string>{"clean", "mask-audio", "noise-text-0.5", "noise-text-2", "noise-video-0.5",
                                          "noise-video-2"});
  const auto runs = sweep.runs();
  CHECK(runs[0].config.train.max_epochs == 3);
  CHECK(runs[0].config.train.lr == 0.01);
  CHECK(runs[1].config.model.fusion == "static");
}

TEST_CASE("bad sweeps name the file and the condition or grid entry", "[ablate]") {
  TempDir dir;
  const std::string head = "base: base.yaml\nseeds: [1]\n";
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "grid: {model.fusion: [dynamic, dinamic]}\n")),
                    ContainsSubstring("condition 'fusion=dinamic'") && ContainsSubstring("did you mean 'dynamic'?"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "grid: {model.fusoin: [dynamic]}\n")),
                    ContainsSubstring("unknown key 'model.fusoin'"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "grid: {data.modalities: [[text, face]]}\n")),
                    ContainsSubstring("modality 'face' is not in"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "grid: {data.cache: [a.h5, b.h5]}\n")),
                    ContainsSubstring("must be the same in every condition"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "grid: {model.fusion: []}\n")),
                    ContainsSubstring("grid entry 'model.fusion' must be a non-empty list"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, "base: base.yaml\nseeds: [1, 1]\n")),
                    ContainsSubstring("seeds: 1 is listed twice"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "evaluate: {mask: [smell]}\n")),
                    ContainsSubstring("evaluate: modality 'smell' is not in"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "compare: {reference: dynamc}\n")),
                    ContainsSubstring("compare: no condition named 'dynamc'"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "grid: {model.fusion: [mean]}\nexclude: [{train.lr: 1}]\n")),
                    ContainsSubstring("exclude names 'train.lr', which is not a grid key"));
  CHECK_THROWS_WITH(daf::load_sweep(dir.file("missing.yaml")), ContainsSubstring("missing.yaml: cannot open file"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "grid: {model.fusion: [mean, static]}\n"
                                                      "exclude: [{model.fusion: mean}, {model.fusion: static}]\n")),
                    ContainsSubstring("sweep.yaml: exclude removes every combination of the grid; nothing to run"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "seeds: [2]\n")),
                    ContainsSubstring("sweep.yaml:3: key 'seeds' appears twice in one mapping (first at line 2)"));
}

TEST_CASE("an evaluation applies to the runs that use its modality and keep another", "[ablate]") {
  daf::EvalCondition mask{"mask-audio", "audio", true, 0};
  daf::EvalCondition noise{"noise-audio-1", "audio", false, 1.0};
  CHECK(daf::evaluation_applies({"clean", "", false, 0}, {"text"}));
  CHECK(daf::evaluation_applies(mask, {"text", "audio"}));
  CHECK_FALSE(daf::evaluation_applies(mask, {"audio"}));  // masking the only modality leaves no input
  CHECK(daf::evaluation_applies(noise, {"audio"}));
  CHECK_FALSE(daf::evaluation_applies(noise, {"text", "video"}));
}

TEST_CASE("shards partition the run list", "[ablate]") {
  CHECK(daf::parse_shard("3/8") == std::make_pair(int64_t{3}, int64_t{8}));
  CHECK_THROWS_WITH(daf::parse_shard("0/8"), ContainsSubstring("expected K/N"));
  CHECK_THROWS_WITH(daf::parse_shard("9/8"), ContainsSubstring("expected K/N"));
  CHECK_THROWS_WITH(daf::parse_shard("a/b"), ContainsSubstring("expected K/N"));
  for (size_t run = 0; run < 20; ++run) {
    int owners = 0;
    for (int64_t k = 1; k <= 3; ++k) owners += daf::in_shard(run, k, 3);
    CHECK(owners == 1);
  }
}

TEST_CASE("paired comparison: per-seed differences, t-test and bootstrap", "[ablate]") {
  auto run = [](std::vector<float> predictions) {
    daf::RunPredictions r;
    r.truth = {1.0f, -1.0f, 2.0f, 0.5f};
    r.ids = {"a", "b", "c", "d"};
    r.prediction = std::move(predictions);
    return r;
  };
  // Reference errors: 0 everywhere; baseline errors: 0.5, 0.5, 0.5, 0.5 (seed 1) and 1 each (seed 2).
  std::map<int64_t, daf::RunPredictions> reference = {{1, run({1, -1, 2, 0.5f})}, {2, run({1, -1, 2, 0.5f})}};
  std::map<int64_t, daf::RunPredictions> baseline = {{1, run({1.5f, -0.5f, 2.5f, 1})}, {2, run({2, 0, 3, 1.5f})}};
  const auto result = daf::compare_conditions(reference, baseline, "regression", 200);
  REQUIRE(result.size() == 2);
  const auto& mae = result[0];
  CHECK(mae.metric == "MAE");
  CHECK(mae.difference[0] == Approx(-0.5));
  CHECK(mae.difference[1] == Approx(-1.0));
  CHECK(mae.t_test.mean_difference == Approx(-0.75));
  // d = (-0.5, -1): sd = 0.35355, t = -0.75 / (0.35355 / sqrt 2) = -3, df 1 -> p = 1 - 2 atan(3) / pi = 0.2048.
  CHECK(mae.t_test.p == Approx(0.2048).epsilon(1e-3));
  // Every utterance's error differs by exactly -0.75 on average over seeds: the CI is a point.
  CHECK(mae.bootstrap.low == Approx(-0.75));
  CHECK(mae.bootstrap.high == Approx(-0.75));
  CHECK(result[1].metric == "Has0_F1_score");
  baseline.erase(2);
  CHECK(daf::compare_conditions(reference, baseline, "regression", 10)[0].seeds == std::vector<int64_t>{1});
}

TEST_CASE("evaluate.missing_rate: one evaluation per modality and rate, checked", "[ablate]") {
  TempDir dir;
  const std::string head = "base: base.yaml\nseeds: [1]\n";
  const auto sweep = daf::load_sweep(
      write_sweep(dir, head + "evaluate: {missing_rate: {modalities: [audio, any], rates: [0.5, 0.1]}}\n"));
  std::vector<std::string> names;
  for (const auto& e : sweep.evaluations) names.push_back(e.name);
  CHECK(names == std::vector<std::string>{"clean", "missing-audio-0.1", "missing-audio-0.5", "missing-any-0.1",
                                          "missing-any-0.5"});
  CHECK(sweep.evaluations[4].modality == "any");
  CHECK(sweep.evaluations[4].missing_rate == 0.5);

  const daf::EvalCondition any{"missing-any-0.5", "any", false, 0, 0.5};
  const daf::EvalCondition audio{"missing-audio-0.5", "audio", false, 0, 0.5};
  CHECK(daf::evaluation_applies(any, {"text", "audio"}));
  CHECK_FALSE(daf::evaluation_applies(any, {"text"}));  // nothing to take from one modality
  CHECK(daf::evaluation_applies(audio, {"text", "audio"}));
  CHECK_FALSE(daf::evaluation_applies(audio, {"audio"}));
  CHECK_FALSE(daf::evaluation_applies(audio, {"text", "video"}));

  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "evaluate: {missing_rate: {modalities: [audio]}}\n")),
                    ContainsSubstring("evaluate.missing_rate: expected {modalities: [...], rates: [...]}"));
  CHECK_THROWS_WITH(
      daf::load_sweep(write_sweep(dir, head + "evaluate: {missing_rate: {modalities: [audio], rates: [1.0]}}\n")),
      ContainsSubstring("rates: expected numbers in (0, 1), found 1.0 (a modality missing for every utterance is evaluate.mask)"));
  CHECK_THROWS_WITH(
      daf::load_sweep(write_sweep(dir, head + "evaluate: {missing_rate: {modalities: [audio], rates: [0.1, 0.1]}}\n")),
      ContainsSubstring("0.1 is listed twice"));
  CHECK_THROWS_WITH(
      daf::load_sweep(write_sweep(dir, head + "evaluate: {missing_rate: {modalities: [smell], rates: [0.1]}}\n")),
      ContainsSubstring("evaluate: modality 'smell' is not in"));
  CHECK_THROWS_WITH(
      daf::load_sweep(write_sweep(dir, head + "evaluate: {missing_rate: {modality: [audio], rates: [0.1]}}\n")),
      ContainsSubstring("expected {modalities: [...], rates: [...]}"));
  CHECK_THROWS_WITH(
      daf::load_sweep(write_sweep(dir, head + "evaluate: {missing_rates: {modalities: [audio], rates: [0.1]}}\n")),
      ContainsSubstring("unknown key 'missing_rates'") && ContainsSubstring("did you mean 'missing_rate'?"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, head + "evaluate: {mask: [audio, audio]}\n")),
                    ContainsSubstring("'mask-audio' is listed twice"));
  CHECK_THROWS_WITH(daf::load_sweep(write_sweep(dir, "base: {data: {cache: x.h5}}\nseeds: [1]\n")),
                    ContainsSubstring("sweep.yaml:1: 'base': expected the path of a config file") &&
                        ContainsSubstring("'base_config'"));
}

TEST_CASE("paired comparison of multiclass and multilabel runs reads their predictions", "[ablate]") {
  TempDir dir;
  daf::write_file_atomic(dir.file("c.csv"),
                         "id,label,true_class,predicted_class,probability_a,probability_b,probability_c\n"
                         "u1,0,0,0,0.8,0.1,0.1\nu2,1,1,2,0.1,0.2,0.7\nu3,2,2,2,0.1,0.1,0.8\nu4,2,2,2,0,0,1\n");
  const auto classes = daf::read_predictions(dir.file("c.csv"), "multiclass");
  CHECK(classes.classes == 3);
  CHECK(classes.truth == std::vector<float>{0, 1, 2, 2});
  auto perfect = classes;
  perfect.prediction = perfect.truth;
  const auto c = daf::compare_conditions({{1, perfect}}, {{1, classes}}, "multiclass", 20);
  REQUIRE(c.size() == 3);
  CHECK(c[0].metric == "UAR");
  CHECK(c[0].difference[0] == Approx(1 - (1 + 0 + 1) / 3.0));  // recall per class: 1, 0, 1
  CHECK(c[1].metric == "accuracy");
  CHECK(c[1].difference[0] == Approx(0.25));

  daf::write_file_atomic(dir.file("l.csv"),
                         "id,x,true_x,predicted_x,probability_x,y,true_y,predicted_y,probability_y,weight_text\n"
                         "u1,2,1,1,0.9,0,0,1,0.6,0.5\nu2,0,0,0,0.1,1,1,1,0.9,0.5\n");
  const auto labels = daf::read_predictions(dir.file("l.csv"), "multilabel");
  CHECK(labels.width == 2);
  CHECK(labels.truth == std::vector<float>{1, 0, 0, 1});
  CHECK(labels.prediction == std::vector<float>{1, 1, 0, 1});
  auto exact = labels;
  exact.prediction = exact.truth;
  const auto l = daf::compare_conditions({{1, exact}}, {{1, labels}}, "multilabel", 20);
  REQUIRE(l.size() == 2);
  CHECK(l[0].metric == "WA_mean");
  // y: P = N = 1, TP 1, TN 0: WA 0.5 (exact: 1); x: WA 1 both -> mean difference 0.25.
  CHECK(l[0].difference[0] == Approx(0.25));
  CHECK(l[1].metric == "F1_micro");
  CHECK(l[1].difference[0] == Approx(1 - 4.0 / 5));  // 2 TP, 1 FP: 4 / 5
}
