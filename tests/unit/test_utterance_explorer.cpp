// analysis/utterance_view and report/utterance_explorer: the explorer's rows
// against hand-worked values, its JSON's escaping, the audio links.
#include "catch.h"

#include <cmath>
#include <filesystem>

#include "daf/analysis/utterance_view.h"
#include "daf/report/html_page.h"
#include "daf/report/utterance_explorer.h"
#include "daf/util/atomic_file.h"
#include "test_helpers.h"

using Catch::Approx;
using Catch::Matchers::ContainsSubstring;

namespace {

daf::RunPredictions run(std::vector<float> truth, std::vector<float> prediction, size_t width = 1,
                        std::map<std::string, std::vector<float>> weights = {}) {
  daf::RunPredictions r;
  for (size_t i = 0; i < truth.size() / width; ++i) r.ids.push_back("u" + std::to_string(i));
  r.truth = std::move(truth);
  r.prediction = std::move(prediction);
  r.width = width;
  r.weights = std::move(weights);
  return r;
}

}  // namespace

TEST_CASE("utterance_view: regression rows, worked by hand", "[report][explorer]") {
  daf::SliceData data;
  data.task = "regression";
  data.ids = {"u0", "u1", "u2"};
  const std::vector<float> truth = {1.0f, -2.0f, 0.5f};
  // dynamic, two seeds, gated over text and audio; static, two seeds; text alone, one seed, gated over text.
  data.conditions["dynamic"][1] = run(truth, {1.5f, -1.0f, 0.5f}, 1, {{"audio", {0.2f, 0.6f, 0.5f}}, {"text", {0.8f, 0.4f, 0.5f}}});
  data.conditions["dynamic"][2] = run(truth, {0.5f, -2.0f, 1.5f}, 1, {{"audio", {0.4f, 0.2f, 0.5f}}, {"text", {0.6f, 0.8f, 0.5f}}});
  data.conditions["static"][1] = run(truth, {2.0f, 0.0f, 0.5f});
  data.conditions["static"][2] = run(truth, {1.0f, -1.0f, 0.5f});
  data.conditions["text"][7] = run(truth, {0.0f, 0.0f, 0.0f}, 1, {{"text", {1.0f, 1.0f, 1.0f}}});
  data.conditions["bimodal"][7] = run(truth, {0.0f, 0.0f, 0.0f}, 1, {{"text", {1.0f, 0.5f, 1.0f}}, {"video", {0.0f, 0.5f, 0.0f}}});
  const std::vector<daf::Slice> slices = {{"intensity", "weak", {0, 2}}, {"intensity", "strong", {1}}};
  const std::vector<std::string> transcripts = {"fine", "awful", "so-so"};
  daf::UtteranceViewInput input;
  input.data = &data;
  input.conditions = {"dynamic", "static", "text", "bimodal", "audio"};  // audio: no runs (a partial sweep)
  input.reference = "dynamic";
  input.baseline = "static";
  input.slices = &slices;
  input.transcripts = &transcripts;
  const daf::ExplorerData view = daf::utterance_view(input);

  // Gated: the conditions with more than one weight (text alone has one, always 1).
  CHECK(view.gated == std::vector<std::string>{"dynamic", "bimodal"});
  CHECK(view.modalities == std::vector<std::string>{"audio", "text", "video"});
  CHECK(view.slices == std::vector<std::string>{"intensity: weak", "intensity: strong"});
  CHECK(view.error_meaning == "absolute error, mean over seeds");
  REQUIRE(view.rows.size() == 3);
  const daf::ExplorerRow& u1 = view.rows[1];
  CHECK(u1.id == "u1");
  CHECK(u1.label == "-2");
  CHECK(u1.label_value == -2.0);
  // dynamic: mean of -1 and -2; static: mean of 0 and -1; text: 0; audio: no runs.
  CHECK(u1.predictions == std::vector<std::string>{"-1.500", "-0.500", "0.000", "0.000", ""});
  // Errors, mean over seeds: dynamic (1 + 0) / 2, static (2 + 1) / 2, text 2.
  CHECK(u1.errors[0] == Approx(0.5));
  CHECK(u1.errors[1] == Approx(1.5));
  CHECK(u1.errors[2] == Approx(2.0));
  CHECK(std::isnan(u1.errors[4]));
  // Paired over seeds 1 and 2: ((1 - 2) + (0 - 1)) / 2.
  CHECK(u1.difference == Approx(-1.0));
  // Weights (audio, text, video): dynamic's mean over seeds, bimodal's with audio absent (0).
  REQUIRE(u1.weights.size() == 2);
  CHECK(u1.weights[0][0] == Approx(0.4));
  CHECK(u1.weights[0][1] == Approx(0.6));
  CHECK(u1.weights[0][2] == 0.0);  // dynamic has no video
  CHECK(u1.weights[1] == std::vector<double>{0.0, 0.5, 0.5});
  CHECK(u1.transcript == "awful");
  CHECK(u1.slices == std::vector<int>{1});
  CHECK(view.rows[0].slices == std::vector<int>{0});
  // u0: dynamic errors 0.5 and 0.5, static 1 and 0: difference ((0.5 - 1) + (0.5 - 0)) / 2 = 0.
  CHECK(view.rows[0].difference == Approx(0.0).margin(1e-12));
  CHECK(view.rows[0].audio.empty());  // the cache has no meta/audio_file
}

TEST_CASE("utterance_view: class tasks vote, multilabel rows count labels", "[report][explorer]") {
  daf::SliceData data;
  data.task = "multiclass";
  data.ids = {"u0", "u1"};
  const std::vector<float> truth = {2.0f, 0.0f};
  data.conditions["a"][1] = run(truth, {2.0f, 1.0f});
  data.conditions["a"][2] = run(truth, {2.0f, 2.0f});
  data.conditions["a"][3] = run(truth, {1.0f, 0.0f});
  data.conditions["b"][1] = run(truth, {0.0f, 1.0f});
  data.conditions["b"][2] = run(truth, {1.0f, 0.0f});
  daf::UtteranceViewInput input;
  input.data = &data;
  input.conditions = {"a", "b"};
  input.reference = "a";
  input.names = {"neutral", "happy", "sad"};
  daf::ExplorerData view = daf::utterance_view(input);
  CHECK(view.rows[0].label == "sad");
  CHECK(view.rows[0].predictions == std::vector<std::string>{"sad (2/3)", "neutral (1/2)"});  // a tie: the lower class
  CHECK(view.rows[0].errors[0] == Approx(1.0 / 3));
  CHECK(view.rows[1].predictions[0] == "neutral (1/3)");  // three different votes (1, 2, 0): the lowest class
  CHECK(std::isnan(view.rows[0].difference));           // no baseline
  CHECK(view.gated.empty());

  daf::SliceData labels;
  labels.task = "multilabel";
  labels.ids = {"u0"};
  labels.conditions["m"][1] = run({1.0f, 0.0f, 1.0f}, {1.0f, 1.0f, 0.0f}, 3);
  labels.conditions["m"][2] = run({1.0f, 0.0f, 1.0f}, {1.0f, 0.0f, 0.0f}, 3);
  labels.conditions["m"][3] = run({1.0f, 0.0f, 1.0f}, {1.0f, 1.0f, 1.0f}, 3);
  input.data = &labels;
  input.conditions = {"m"};
  input.reference = "m";
  input.names = {"happiness", "sadness", "anger"};
  view = daf::utterance_view(input);
  CHECK(view.rows[0].label == "happiness, anger");
  CHECK(view.rows[0].label_value == 2.0);
  CHECK(view.rows[0].predictions[0] == "happiness, sadness");  // sadness 2 of 3 seeds, anger 1 of 3
  CHECK(view.rows[0].errors[0] == Approx((2.0 / 3 + 1.0 / 3 + 1.0 / 3) / 3));
  CHECK(view.error_meaning == "share of labels wrong, mean over seeds");
}

TEST_CASE("utterance_view: audio links relative to the page, missing files said", "[report][explorer]") {
  daf::test::TempDir dir;
  const std::string data_dir = dir.path() + "/data/clips and more";
  std::filesystem::create_directories(data_dir);
  std::filesystem::create_directories(dir.path() + "/out/sweep");
  daf::write_file_atomic(data_dir + "/a#1.wav", "RIFF");
  daf::SliceData data;
  data.task = "regression";
  data.ids = {"u0", "u1"};
  data.conditions["dynamic"][1] = run({0.0f, 1.0f}, {0.0f, 1.0f});
  data.meta["audio_file"] = {data_dir + "/a#1.wav", data_dir + "/gone.wav"};
  daf::UtteranceViewInput input;
  input.data = &data;
  input.conditions = {"dynamic"};
  input.reference = "dynamic";
  input.page_dir = dir.path() + "/out/sweep";
  const daf::ExplorerData view = daf::utterance_view(input);
  CHECK(view.rows[0].audio == "../../data/clips%20and%20more/a%231.wav");
  CHECK(view.rows[1].audio == "../../data/clips%20and%20more/gone.wav");
  CHECK_THAT(view.audio_note, ContainsSubstring("1 of 2 audio files are not where the cache says"));
  CHECK_THAT(view.audio_note, ContainsSubstring("gone.wav"));
  CHECK(view.error_meaning == "absolute error");  // one seed
  CHECK(daf::relative_url("/x/y/z.wav", "/x") == "y/z.wav");
}

TEST_CASE("the explorer's data cannot end its block or run", "[report][explorer]") {
  daf::ExplorerData data;
  data.conditions = {"dynamic</script>"};
  data.reference = "dynamic</script>";
  daf::ExplorerRow row;
  row.id = "<img src=x onerror=alert(1)>";
  row.label = "1";
  row.label_value = 1;
  row.predictions = {"0.5"};
  row.errors = {0.5};
  row.difference = std::nan("");
  row.transcript = "</script><script>alert(2)</script> & \"quoted\"\n";
  data.rows = {row};
  const std::string json = daf::explorer_json(data);
  CHECK(json.find('<') == std::string::npos);
  CHECK(json.find('>') == std::string::npos);
  CHECK_THAT(json, ContainsSubstring("\\u003c/script\\u003e\\u003cscript\\u003ealert(2)"));
  CHECK_THAT(json, ContainsSubstring("\\u0026 \\\"quoted\\\"\\n"));
  CHECK_THAT(json, ContainsSubstring(",null,"));  // the undefined difference: null, never a number

  daf::HtmlPage page("t");
  daf::add_utterance_explorer(page, data);
  const std::string html = page.str();
  // The page's own two scripts and the data block: three elements, three ends.
  size_t ends = 0;
  for (size_t at = html.find("</script>"); at != std::string::npos; at = html.find("</script>", at + 1)) ++ends;
  CHECK(ends == 3);
  CHECK_THAT(html, ContainsSubstring("<th class=\"num\" data-key=\"c0\">dynamic&lt;/script&gt;</th>"));
  CHECK_THAT(html, ContainsSubstring("<script type=\"application/json\" id=\"explorer-data\">"));
  // The policy names both scripts' hashes.
  const auto policy = html.find("script-src");
  CHECK(html.find("sha256-", html.find("sha256-", policy) + 1) < html.find("\">", policy));
}
