#include "catch.h"
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "daf/data/synthetic.h"
#include "daf/model/feature_stats.h"
#include "daf/report/gate_summary.h"
#include "daf/report/json_writer.h"
#include "daf/report/markdown_table.h"
#include "daf/util/strings.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using Approx = Catch::Approx;

TEST_CASE("synthetic caches are MOSEI-shaped and deterministic", "[synth]") {
  const auto config = daf::load_synth_config("tiny", "", {});
  CHECK(config.text_dim == 768);
  CHECK(config.audio_dim == 74);
  CHECK(config.video_dim == 35);
  const auto a = daf::generate_synthetic_cache(config);
  const auto b = daf::generate_synthetic_cache(config);
  CHECK(a.splits.at("train").size() == 240);
  CHECK(a.splits.at("train").features.at("text").values == b.splits.at("train").features.at("text").values);
  const auto& labels = a.splits.at("train").labels.at("sentiment");
  for (float y : labels) {
    CHECK(y >= -3.0f);
    CHECK(y <= 3.0f);
    CHECK(std::fabs(y * 3 - std::round(y * 3)) < 1e-4);  // thirds, like MOSEI
  }
  const auto& text = a.splits.at("train").labels.at("noisy_text");
  const auto& audio = a.splits.at("train").labels.at("noisy_audio");
  double noisy = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    CHECK(text[i] + audio[i] <= 1.0f);  // never both
    noisy += text[i];
  }
  CHECK(noisy / text.size() == Approx(0.3).margin(0.1));
  const auto other = daf::generate_synthetic_cache(daf::load_synth_config("tiny", "", {"synth.seed=8"}));
  CHECK(other.splits.at("train").features.at("text").values != a.splits.at("train").features.at("text").values);
}

TEST_CASE("synthetic speakers and sessions: meta columns, their own random stream, a nuisance shift", "[synth]") {
  const auto config = daf::load_synth_config("tiny", "", {});
  const auto cache = daf::generate_synthetic_cache(config);
  const auto& test = cache.splits.at("test");
  REQUIRE(test.meta.count("speaker"));
  CHECK(test.meta.count("session") == 0);
  std::set<std::string> speakers(test.meta.at("speaker").begin(), test.meta.at("speaker").end());
  CHECK(speakers.size() > 10);
  for (const auto& s : speakers) CHECK((s.size() == 5 && s.rfind("spk", 0) == 0 && s >= "spk01" && s <= "spk20"));

  // Speakers are drawn apart from the utterances: labels, corruption and, without a shift,
  // features are those of the same seed with any number of speakers.
  const auto flat = daf::generate_synthetic_cache(daf::load_synth_config("tiny", "", {"synth.speaker_effect=0"}));
  const auto flat3 = daf::generate_synthetic_cache(
      daf::load_synth_config("tiny", "", {"synth.speaker_effect=0", "synth.speakers=3"}));
  CHECK(flat.splits.at("test").features.at("audio").values == flat3.splits.at("test").features.at("audio").values);
  CHECK(flat.splits.at("test").labels == test.labels);
  CHECK(flat.splits.at("test").meta.at("speaker") == test.meta.at("speaker"));
  CHECK(flat.splits.at("test").features.at("audio").values != test.features.at("audio").values);

  // The categorical preset: IEMOCAP's 5 sessions of 2 speakers, each speaker in one session.
  const auto iemocap = daf::generate_synthetic_cache(
      daf::load_synth_config("categorical", "", {"synth.train_size=200", "synth.valid_size=50", "synth.test_size=50"}));
  std::map<std::string, std::string> session_of;
  for (const auto& [split, data] : iemocap.splits)
    for (size_t i = 0; i < data.ids.size(); ++i) {
      const std::string& speaker = data.meta.at("speaker")[i];
      const std::string& session = data.meta.at("session")[i];
      CHECK(speaker.rfind(session + "_spk", 0) == 0);
      session_of[speaker] = session;
    }
  CHECK(session_of.size() == 10);
  CHECK_THROWS_WITH(daf::load_synth_config("tiny", "", {"synth.speakers=7", "synth.sessions=5"}),
                    ContainsSubstring("synth.speakers: expected a multiple of synth.sessions (5), found 7"));
}

TEST_CASE("synth presets and options are checked", "[synth]") {
  CHECK(daf::load_synth_config("mosei", "", {}).train_size == 16326);
  CHECK_THROWS_WITH(daf::load_synth_config("mosie", "", {}), ContainsSubstring("did you mean 'mosei'?"));
  CHECK_THROWS_WITH(daf::load_synth_config("demo", "", {"synth.noisy_text_rate=0.8", "synth.noisy_audio_rate=0.5"}),
                    ContainsSubstring("expected at most 1"));
}

TEST_CASE("feature statistics z-score, ignore missing rows and keep constant columns finite", "[model]") {
  daf::FeatureMatrix m(4, 2);
  const float values[] = {1, 5, 3, 5, 5, 5, 100, 5};
  std::copy(values, values + 8, m.values.begin());
  const auto stats = daf::compute_feature_stats(m, {1, 1, 1, 0});
  CHECK(stats.mean[0] == Approx(3.0));
  CHECK(stats.std[0] == Approx(std::sqrt(8.0 / 3.0)));
  CHECK(stats.std[1] == 1.0f);  // constant column
  daf::normalize_in_place(m, stats);
  CHECK(m.row(1)[0] == Approx(0.0));
  CHECK(m.row(0)[1] == Approx(0.0));
}

TEST_CASE("JSON writer escapes strings and writes NaN as null", "[report]") {
  daf::JsonWriter json;
  json.begin_object().key("a").value(1.5).key("b").value(std::nan("")).key("s").value("q\"\n");
  json.key("list").begin_array().value(int64_t{1}).value(true).end_array().key("empty").begin_object().end_object();
  json.end_object();
  CHECK(json.str() == "{\n  \"a\": 1.5,\n  \"b\": null,\n  \"s\": \"q\\\"\\n\",\n  \"list\": [\n    1,\n    true\n  ],\n"
                      "  \"empty\": {}\n}\n");
}

TEST_CASE("Markdown tables align columns", "[report]") {
  daf::MarkdownTable table({"name", "MAE"});
  table.add_row({"dynamic", "0.47"});
  CHECK(table.str() == "| name    | MAE  |\n|---------|------|\n| dynamic | 0.47 |\n");
  CHECK_THROWS(table.add_row({"x"}));
  daf::MarkdownTable bars({"slice", "n"});
  bars.add_row({"|label| [0, 1)", "460"});  // a '|' in a cell is escaped, so it stays in its column
  CHECK(bars.str() == "| slice            | n   |\n|------------------|-----|\n| \\|label\\| [0, 1) | 460 |\n");
}

TEST_CASE("gate summary by sentiment bucket", "[report]") {
  const std::vector<float> weights = {0.8f, 0.2f, 0.6f, 0.4f, 0.1f, 0.9f};
  const auto summary = daf::summarize_gate({"text", "audio"}, weights, {1.2f, 0.9f, -2.0f});
  CHECK(summary.overall[0].mean == Approx(0.5));
  CHECK(summary.buckets == std::vector<int>{-2, 1});
  CHECK(summary.per_bucket[1][0].mean == Approx(0.7));
  CHECK(summary.per_bucket[1][0].std == Approx(0.1));
  CHECK(summary.per_bucket[0][1].count == 1);
  CHECK_THAT(daf::gate_markdown(summary), ContainsSubstring("| all ") && ContainsSubstring("0.500 ± 0.294"));
}

TEST_CASE("string helpers", "[util]") {
  CHECK(daf::edit_distance("kitten", "sitting") == 3);
  CHECK(daf::closest_match("fusoin", {"fusion", "gate"}) == "fusion");
  CHECK(daf::closest_match("zzzzzz", {"fusion", "gate"}).empty());
  CHECK(daf::format_number(0.1) == "0.1");
  CHECK(std::stod(daf::format_number(1.0 / 3.0)) == 1.0 / 3.0);
  CHECK(daf::split("a,b,,c", ',') == std::vector<std::string>{"a", "b", "", "c"});
}

TEST_CASE("Markdown tables align cells with multi-byte characters", "[report]") {
  daf::MarkdownTable table({"weight", "n"});
  table.add_row({"0.5 ± 0.1", "3"});
  CHECK(table.str() == "| weight    | n   |\n|-----------|-----|\n| 0.5 ± 0.1 | 3   |\n");
}

TEST_CASE("synth emotion presets: IEMOCAP-style classes and MOSEI-style emotions", "[synth]") {
  const auto categorical = daf::load_synth_config("categorical", "", {"synth.train_size=4000"});
  CHECK(categorical.emotions == "categorical");
  CHECK(categorical.valid_size == 500);
  const auto cache = daf::generate_synthetic_cache(categorical);
  CHECK(cache.attributes.at("classes.emotion") == "neutral\nhappy\nsad\nangry");
  const auto& labels = cache.splits.at("train").labels.at("emotion");
  std::vector<double> shares(4, 0);
  for (float v : labels) {
    REQUIRE(v == std::floor(v));
    REQUIRE(v >= 0);
    REQUIRE(v <= 3);
    shares[static_cast<size_t>(v)] += 1.0 / static_cast<double>(labels.size());
  }
  // IEMOCAP's shares (0.309, 0.296, 0.196, 0.199), moved towards uniform by the 10% relabelling.
  CHECK(shares[0] == Approx(0.9 * 0.309 + 0.1 * (1 - 0.309) / 3).margin(0.025));
  CHECK(shares[2] == Approx(0.9 * 0.196 + 0.1 * (1 - 0.196) / 3).margin(0.025));
  CHECK(cache.splits.at("train").labels.count("sentiment") == 1);  // the sentiment stays

  const auto emotions = daf::generate_synthetic_cache(daf::load_synth_config("emotions", "", {"synth.train_size=4000"}));
  const auto& train = emotions.splits.at("train");
  const std::vector<double> rates = {0.52, 0.25, 0.21, 0.10, 0.17, 0.08};
  for (size_t k = 0; k < rates.size(); ++k) {
    const std::string name = daf::synth_emotion_labels()[k];
    INFO(name);
    double present = 0;
    for (float v : train.labels.at(name)) {
      REQUIRE(v >= 0);
      REQUIRE(v <= 3);
      CHECK(std::fabs(v * 3 - std::round(v * 3)) < 1e-4);
      present += v > 0;
    }
    // The rate, with 10% of presences flipped.
    CHECK(present / 4000 == Approx(0.9 * rates[k] + 0.1 * (1 - rates[k])).margin(0.03));
  }
  // The sentiment-only cache is unchanged by the emotion options' existence.
  const auto plain = daf::generate_synthetic_cache(daf::load_synth_config("tiny", "", {}));
  CHECK(plain.splits.at("train").labels.size() == 3);
  CHECK(plain.attributes.empty());
}

TEST_CASE("gate summary per class or per present label", "[report]") {
  const std::vector<float> weights = {0.8f, 0.2f, 0.6f, 0.4f, 0.1f, 0.9f};
  // Row 0 in groups a and c, row 1 in a, row 2 in none; b has no rows and is left out.
  const auto summary = daf::summarize_gate_by_group({"text", "audio"}, weights, {{0, 2}, {0}, {}}, {"a", "b", "c"}, "label");
  CHECK(summary.groups == std::vector<std::string>{"a", "c"});
  CHECK(summary.overall[0].count == 3);
  CHECK(summary.per_bucket[0][0].mean == Approx(0.7));
  CHECK(summary.per_bucket[1][1].mean == Approx(0.2));
  CHECK_THAT(daf::gate_markdown(summary), ContainsSubstring("| label present | n ") && ContainsSubstring("| c "));
  daf::JsonWriter json;
  daf::write_gate_json(json, summary);
  CHECK_THAT(json.str(), ContainsSubstring("\"by_label\": [") && ContainsSubstring("\"label\": \"a\",") && ContainsSubstring("\"count\": 2,"));
}

TEST_CASE("a gate weight drops or rises only beyond the seed-to-seed spread", "[report]") {
  const daf::MeanStd clean{0.358, 0.010, 3};
  CHECK(daf::weight_shift_verdict(clean, {0.356, 0.012, 3}) == "within the seed-to-seed spread 0.012");
  CHECK(daf::weight_shift_verdict(clean, {0.340, 0.004, 3}) == "drops");    // 0.018 > 0.010
  CHECK(daf::weight_shift_verdict(clean, {0.0, 0.0, 3}) == "drops");        // a masked modality
  CHECK(daf::weight_shift_verdict(clean, {0.380, 0.005, 3}) == "rises");
  CHECK(daf::weight_shift_verdict({0.358, 0.0, 1}, {0.2, 0.0, 1}) == "one seed: no verdict");
}
