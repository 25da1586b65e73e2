// Slice analysis: entropy, binning, slices and the permutation test on hand-worked examples.
#include <yaml-cpp/yaml.h>

#include <cmath>

#include "daf/analysis/analysis_settings.h"
#include "catch.h"
#include "daf/analysis/slice_analysis.h"
#include "daf/analysis/slices.h"

using Catch::Matchers::ContainsSubstring;

namespace {

daf::RunPredictions regression_run(const std::vector<float>& truth, const std::vector<float>& prediction) {
  daf::RunPredictions run;
  for (size_t i = 0; i < truth.size(); ++i) run.ids.push_back("u" + std::to_string(i));
  run.truth = truth;
  run.prediction = prediction;
  return run;
}

std::vector<std::string> names(const std::vector<daf::Slice>& slices, const std::string& family) {
  std::vector<std::string> out;
  for (const auto& s : slices)
    if (s.family == family) out.push_back(s.name);
  return out;
}

daf::Indices rows(const std::vector<daf::Slice>& slices, const std::string& family, const std::string& name) {
  for (const auto& s : slices)
    if (s.family == family && s.name == name) return s.rows;
  FAIL("no slice " + family + " / " + name);
  return {};
}

}  // namespace

TEST_CASE("normalised entropy, quantile edges and bins", "[analysis]") {
  CHECK(daf::normalized_entropy({0.5, 0.5}) == Catch::Approx(1.0));
  CHECK(daf::normalized_entropy({1.0, 0.0}) == 0.0);
  // (2 * 0.25 ln 4 + 0.5 ln 2) / ln 3
  CHECK(daf::normalized_entropy({0.25, 0.25, 0.5}) == Catch::Approx(0.946395).epsilon(1e-5));
  CHECK(daf::normalized_entropy({1.0}) == 0.0);
  // numpy.quantile([1..10], [1/3, 2/3]) = [4, 7]; numpy.quantile([1, 2, 3, 4], 0.5) = 2.5
  CHECK(daf::quantile_edges({10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 3) == std::vector<double>{4.0, 7.0});
  CHECK(daf::quantile_edges({1, 2, 3, 4}, 2) == std::vector<double>{2.5});
  CHECK(daf::quantile_bin(3.9, {4, 7}) == 0);
  CHECK(daf::quantile_bin(4.0, {4, 7}) == 1);
  CHECK(daf::quantile_bin(7.0, {4, 7}) == 2);
  const std::vector<double> edges = {0, 1, 2, 3};
  CHECK(daf::bin_of(0.0, edges) == 0);
  CHECK(daf::bin_of(1.0, edges) == 1);
  CHECK(daf::bin_of(3.0, edges) == 2);  // the last bin is closed
  CHECK(daf::bin_of(3.1, edges) == -1);
  CHECK(daf::bin_of(-0.1, edges) == -1);
  CHECK(daf::bin_of(std::nan(""), edges) == -1);
}

TEST_CASE("slices: conflict, disagreement, degraded, a column and a cross, by hand", "[analysis]") {
  daf::SliceData data;
  data.task = "regression";
  const std::vector<float> truth = {0, 0, 0, 0, 0, 0};
  data.conditions["text"][1] = regression_run(truth, {1, -1, 0.5, -0.5, 2, 0});
  data.conditions["audio"][1] = regression_run(truth, {1, 1, -0.5, -0.5, 1, 0});
  data.ids = data.conditions["text"][1].ids;
  data.columns["noisy_text"] = {0, 1, 0, 0, 0, 0};
  data.columns["speaker"] = {0, 0, 1, 1, 1, 2};
  data.present["audio"] = {1, 1, 1, 0, 1, 1};
  daf::SliceSettings s;
  s.conflict = {"text", "audio"};
  s.disagreement_bins = 2;
  s.degraded = true;
  s.columns = {"speaker"};
  s.min_size = 2;
  s.cross = {"conflict", "degraded"};
  const auto slices = daf::make_slices(s, data);
  CHECK(rows(slices, "conflict", "agreeing") == daf::Indices{0, 3, 4, 5});  // 0 vs 0 is not opposite
  CHECK(rows(slices, "conflict", "conflicting") == daf::Indices{1, 2});
  // |text - audio| = 0 2 1 0 1 0: the median edge is 0.5
  CHECK(names(slices, "disagreement") ==
        std::vector<std::string>{"|text - audio| low (< 0.500)", "|text - audio| high (>= 0.500)"});
  CHECK(rows(slices, "disagreement", "|text - audio| high (>= 0.500)") == daf::Indices{1, 2, 4});
  CHECK(names(slices, "degraded") == std::vector<std::string>{"none", "audio absent", "text corrupted"});
  CHECK(rows(slices, "degraded", "none") == daf::Indices{0, 2, 4, 5});
  CHECK(rows(slices, "degraded", "audio absent") == daf::Indices{3});
  CHECK(rows(slices, "speaker", "speaker = 1") == daf::Indices{2, 3, 4});
  CHECK(rows(slices, "speaker", "speaker = other (values with < 2 utterances)") == daf::Indices{5});
  CHECK(names(slices, "conflict × degraded").size() == 6);
  CHECK(rows(slices, "conflict × degraded", "conflicting × text corrupted") == daf::Indices{1});
  CHECK(rows(slices, "conflict × degraded", "agreeing × text corrupted").empty());  // reported, not dropped

  s.columns = {"session"};
  s.cross.clear();
  CHECK_THROWS_WITH(daf::make_slices(s, data),
                    ContainsSubstring("analysis.slices.column: the cache's test split has no column 'session' (it "
                                      "has: noisy_text, speaker)"));
}

TEST_CASE("the interaction permutation test, by hand", "[analysis]") {
  // Truth 0; the reference is exact, the baseline is off by 2 on utterances 0 and 1: per-utterance
  // differences -2 -2 0 0. Slices {0, 1} and {2, 3}: d = -2 and 0, T = 2 (1)^2 + 2 (1)^2 = 4. Of the
  // 6 ways to deal the four utterances into two slices of two, 2 give T = 4 and 4 give T = 0: p -> 1/3.
  std::map<int64_t, daf::RunPredictions> reference, baseline;
  reference[1] = regression_run({0, 0, 0, 0}, {0, 0, 0, 0});
  baseline[1] = regression_run({0, 0, 0, 0}, {2, 2, 0, 0});
  const std::vector<daf::Indices> slices = {{0, 1}, {2, 3}};
  CHECK(daf::interaction_statistic(reference, baseline, "regression", slices) == Catch::Approx(4.0));
  CHECK(daf::interaction_statistic(reference, baseline, "regression", {{0, 2}, {1, 3}}) == Catch::Approx(0.0));
  const auto test = daf::interaction_test("x", reference, baseline, "regression", slices, 3000);
  CHECK(test.p > 0.30);
  CHECK(test.p < 0.37);
  CHECK(std::isnan(daf::interaction_test("x", reference, baseline, "regression", {{0, 1, 2, 3}, {}}, 100).p));

  // The per-slice bootstrap resamples within the slice: on {0, 1} every draw gives -2.
  const auto within = daf::compare_conditions(reference, baseline, "regression", 200, &slices[0], true);
  REQUIRE(within.size() == 1);
  CHECK(within[0].metric == "MAE");
  CHECK(within[0].bootstrap.low == Catch::Approx(-2.0));
  CHECK(within[0].bootstrap.high == Catch::Approx(-2.0));
}

TEST_CASE("the analysis section: keys, conditions and bins are checked", "[analysis]") {
  const std::vector<daf::AnalysisCondition> conditions = {
      {"dynamic", "dynamic", {"text", "audio"}}, {"static", "static", {"text", "audio"}},
      {"text", "dynamic", {"text"}}, {"audio", "dynamic", {"audio"}}};
  auto parse = [&](const std::string& yaml, const std::string& task = "regression") {
    return daf::parse_analysis(yaml, "s.yaml", task, conditions);
  };
  const auto s = parse("{slices: {conflict: {between: [text, audio]}, intensity: {bins: [0, 1, 3]}, "
                       "gate_entropy: {condition: dynamic}, degraded: true}, cross: [conflict, degraded], top: 5}");
  CHECK(s.conflict == std::vector<std::string>{"text", "audio"});
  CHECK(s.intensity_bins == std::vector<double>{0, 1, 3});
  CHECK(s.gate_bins == 3);
  CHECK(s.top == 5);
  CHECK(parse("{slices: {intensity: true}}", "multiclass").intensity);
  CHECK_THROWS_WITH(parse("{slice: {}}"), ContainsSubstring("s.yaml: analysis: unknown key 'slice', did you mean 'slices'?"));
  CHECK_THROWS_WITH(parse("{slices: {conflict: {between: [text, static]}}}"),
                    ContainsSubstring("condition 'static' is not unimodal (it uses text, audio)"));
  CHECK_THROWS_WITH(parse("{slices: {conflict: {between: [text, vidoe]}}}"),
                    ContainsSubstring("analysis.slices.conflict.between: no condition named 'vidoe'"));
  CHECK_THROWS_WITH(parse("{slices: {intensity: {bins: [0, 2, 1]}}}"),
                    ContainsSubstring("analysis.slices.intensity.bins: expected increasing edges, found [0, 2, 1]"));
  CHECK_THROWS_WITH(parse("{slices: {gate_entropy: {condition: static}}}"),
                    ContainsSubstring("condition 'static' has no per-utterance fusion weights"));
  CHECK_THROWS_WITH(parse("{slices: {degraded: true}, cross: [degraded, intensity]}"),
                    ContainsSubstring("analysis.cross: 'intensity' is not a slice family of this analysis (it has: degraded)"));
  CHECK_THROWS_WITH(parse("{slices: {intensity: {bins: [0, 1]}}}", "multilabel"),
                    ContainsSubstring("not defined for a multilabel task"));
  CHECK_THROWS_WITH(parse("{slices: {degraded: false}}"), ContainsSubstring("no slice family is switched on"));
}
