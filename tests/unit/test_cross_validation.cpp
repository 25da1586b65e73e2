// Cross-validation's parts: split files (data/split_file.h), the validation carve-out,
// the folds of a cv section over a cache (folds/cv_folds.h) and the cv keys' checks.
// Expected values are worked by hand from the definitions in folds/folds.h.
#include "catch.h"

#include <algorithm>
#include <map>
#include <set>

#include "daf/ablate/collect.h"
#include "daf/ablate/sweep.h"
#include "daf/config/config.h"
#include "daf/data/cache_io.h"
#include "daf/data/split_file.h"
#include "daf/folds/cv_folds.h"
#include "daf/folds/folds.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using daf::test::TempDir;

namespace {

// Three splits of 4, 2 and 2 rows over two sessions of two speakers each; one modality of
// width 2 whose first value is the row's number, so moved rows can be told apart.
daf::EmbeddingCache session_cache() {
  daf::EmbeddingCache cache;
  const std::vector<std::vector<std::string>> speakers = {
      {"S1_a", "S1_b", "S2_a", "S2_b"}, {"S1_a", "S2_b"}, {"S1_b", "S2_a"}};
  const std::vector<std::vector<float>> classes = {{0, 1, 0, 1}, {1, 0}, {0, 1}};
  float number = 0;
  for (size_t s = 0; s < 3; ++s) {
    const std::string split = daf::cache_split_names()[s];
    daf::SplitData& data = cache.splits[split];
    const auto rows = static_cast<int64_t>(speakers[s].size());
    data.features["text"] = daf::FeatureMatrix(rows, 2);
    for (int64_t i = 0; i < rows; ++i) {
      data.ids.push_back(split + std::to_string(i));
      data.features["text"].row(i)[0] = number++;
      data.meta["speaker"].push_back(speakers[s][static_cast<size_t>(i)]);
      data.meta["session"].push_back(speakers[s][static_cast<size_t>(i)].substr(0, 2));
    }
    data.labels["emotion"] = classes[s];
  }
  return cache;
}

daf::Config cv_config(const std::string& cache, const std::vector<std::string>& overrides) {
  std::vector<std::string> all = {"data.cache=" + cache, "data.modalities=[text]", "data.target=emotion",
                                  "data.classes=[calm, upset]", "model.task=multiclass"};
  all.insert(all.end(), overrides.begin(), overrides.end());
  return daf::load_config("", all);
}

std::vector<std::string> ids_in(const daf::CvFolds& folds, size_t fold, const std::string& part) {
  std::vector<std::string> out;
  for (size_t i = 0; i < folds.ids.size(); ++i)
    if (folds.parts[fold][i] == part) out.push_back(folds.ids[i]);
  return out;
}

}  // namespace

TEST_CASE("a split file re-splits the pooled cache by id, keeping pooled order", "[cv]") {
  TempDir dir;
  const daf::EmbeddingCache cache = session_cache();
  const std::string file = dir.file("fold.csv");
  // test1 (row 7) and train0 (row 0) to train; valid0 to valid; train3 to test; the rest unused.
  daf::write_file_atomic(file, daf::split_file_text({"test1", "valid0", "train3", "train0"},
                                                    {"train", "valid", "test", "train"}));
  const daf::EmbeddingCache fold = daf::apply_split_file(cache, file, "cache.h5");
  CHECK(fold.splits.at("train").ids == std::vector<std::string>{"train0", "test1"});
  CHECK(fold.splits.at("valid").ids == std::vector<std::string>{"valid0"});
  CHECK(fold.splits.at("test").ids == std::vector<std::string>{"train3"});
  const auto& train = fold.splits.at("train");
  CHECK(train.features.at("text").rows == 2);
  CHECK(train.features.at("text").row(1)[0] == 7.0f);
  CHECK(train.labels.at("emotion") == std::vector<float>{0, 1});
  CHECK(train.meta.at("speaker") == std::vector<std::string>{"S1_a", "S2_a"});

  daf::write_file_atomic(file, "id,part\ntrain0,train\ntrain0,test\n");
  CHECK_THROWS_WITH(daf::apply_split_file(cache, file, "cache.h5"), ContainsSubstring("line 3: id 'train0' is listed twice"));
  daf::write_file_atomic(file, "id,part\ntrain0,dev\n");
  CHECK_THROWS_WITH(daf::apply_split_file(cache, file, "cache.h5"),
                    ContainsSubstring("line 2: part 'dev': expected train, valid or test"));
  daf::write_file_atomic(file, "id,part\nnobody,train\n");
  CHECK_THROWS_WITH(daf::apply_split_file(cache, file, "cache.h5"), ContainsSubstring("id 'nobody' is not in cache.h5"));
}

TEST_CASE("validation: whole groups in a seeded order until the fraction, or single rows", "[cv]") {
  // Candidates 0..5 in groups a (0, 1), b (2, 3), c (4, 5): a fraction of 0.3 (1.8 rows) takes one group.
  const std::vector<std::string> groups = {"a", "a", "b", "b", "c", "c"};
  const std::vector<size_t> candidates = {0, 1, 2, 3, 4, 5};
  const auto one = daf::validation_rows(candidates, groups, 0.3, 5, "speaker");
  REQUIRE(one.size() == 2);
  CHECK(groups[one[0]] == groups[one[1]]);
  CHECK(daf::validation_rows(candidates, groups, 0.3, 5, "speaker") == one);  // deterministic
  CHECK(daf::validation_rows(candidates, groups, 0.5, 5, "speaker").size() == 4);  // 3 rows: two groups
  CHECK_THROWS_WITH(daf::validation_rows({0, 1}, groups, 0.5, 5, "speaker"),
                    ContainsSubstring("hold 1 group(s) of 'speaker'") && ContainsSubstring("leaving none for training"));
  // Without groups: round(0.3 x 6) = 2 rows; at least one.
  CHECK(daf::validation_rows(candidates, {}, 0.3, 5, "").size() == 2);
  CHECK(daf::validation_rows(candidates, {}, 0.01, 5, "").size() == 1);
}

TEST_CASE("leave-one-session-out folds with a held-out speaker, written and checked", "[cv]") {
  TempDir dir;
  daf::write_cache(dir.file("c.h5"), session_cache());
  const auto config = cv_config(dir.file("c.h5"), {"cv.by=session", "cv.valid.by=speaker", "cv.valid.fraction=0.2"});
  const daf::CvFolds folds = daf::make_cv_folds(config);
  REQUIRE(folds.count() == 2);
  CHECK(folds.ids.size() == 8);
  // Fold 1 tests session S1 (sorted order); its validation is one whole speaker of S2.
  CHECK(ids_in(folds, 0, "test") == std::vector<std::string>{"train0", "train1", "valid0", "test0"});
  // S2's speakers have 2 rows each: 0.2 x 4 training rows = 0.8 rows, so one speaker.
  std::map<std::string, std::string> speaker_of;
  for (const auto& [split, data] : session_cache().splits)
    for (size_t i = 0; i < data.ids.size(); ++i) speaker_of[data.ids[i]] = data.meta.at("speaker")[i];
  const auto valid = ids_in(folds, 0, "valid");
  REQUIRE(valid.size() == 2);
  CHECK(speaker_of[valid[0]] == speaker_of[valid[1]]);
  CHECK(speaker_of[valid[0]].substr(0, 2) == "S2");
  CHECK(ids_in(folds, 1, "test") == std::vector<std::string>{"train2", "train3", "valid1", "test1"});
  CHECK(ids_in(folds, 0, "train").size() == 2);
  CHECK_THAT(folds.summary_yaml, ContainsSubstring("method: leave-one-group-out"));
  CHECK_THAT(folds.summary_yaml, ContainsSubstring("test: {rows: 4, session: [S1], speaker: [S1_a, S1_b]}"));

  daf::write_cv_folds(dir.file("out"), folds);
  CHECK(daf::read_file(daf::fold_split_file(dir.file("out"), 1)).rfind("id,part\ntrain0,test\n", 0) == 0);
  daf::write_cv_folds(dir.file("out"), folds);  // the same folds again: a resumed sweep
  daf::CvFolds changed = folds;
  changed.parts[0][0] = "train";
  CHECK_THROWS_WITH(daf::write_cv_folds(dir.file("out"), changed), ContainsSubstring("fold-1.csv: differs from the folds"));
}

TEST_CASE("bad cv settings fail before training, naming what is wrong", "[cv]") {
  TempDir dir;
  daf::write_cache(dir.file("c.h5"), session_cache());
  const std::string cache = dir.file("c.h5");
  CHECK_THROWS_WITH(daf::make_cv_folds(cv_config(cache, {"cv.by=room"})),
                    ContainsSubstring("cv.by 'room'") && ContainsSubstring("meta columns: session, speaker"));
  CHECK_THROWS_WITH(daf::make_cv_folds(cv_config(cache, {"cv.by=session", "cv.folds=3"})),
                    ContainsSubstring("3 folds need at least as many groups"));
  // Speakers cut across sessions' folds only when validation takes a speaker of the test session:
  // by speaker with validation by session puts S1's other speaker in valid while S1_a is tested.
  CHECK_THROWS_WITH(daf::make_cv_folds(cv_config(cache, {"cv.by=speaker", "cv.valid.by=session", "cv.valid.fraction=0.1"})),
                    ContainsSubstring("is in both") && ContainsSubstring("must lie within one 'speaker' group"));
  // A class whose only utterance (test1) is in session S2 cannot be learnt in the fold testing S2.
  daf::EmbeddingCache skewed = session_cache();
  skewed.splits["train"].labels["emotion"] = {0, 0, 0, 0};
  skewed.splits["valid"].labels["emotion"] = {0, 0};
  skewed.splits["test"].labels["emotion"] = {0, 1};
  daf::write_cache(dir.file("skewed.h5"), skewed);
  CHECK_THROWS_WITH(daf::make_cv_folds(cv_config(dir.file("skewed.h5"), {"cv.by=session"})),
                    ContainsSubstring("class 'upset' has no utterance in the train part"));

  CHECK_THROWS_WITH(cv_config(cache, {"cv.folds=5", "data.split_file=x.csv"}),
                    ContainsSubstring("keys 'cv' and 'data.split_file' conflict"));
  CHECK_THROWS_WITH(cv_config(cache, {"cv.valid.by=speaker"}), ContainsSubstring("cross-validation is off"));
  CHECK_THROWS_WITH(cv_config(cache, {"cv.folds=1"}), ContainsSubstring("expected at least 2 folds"));
  CHECK_THROWS_WITH(cv_config(cache, {"cv.folds=2", "cv.pool=[train, train]"}), ContainsSubstring("'train' is listed twice"));
}

TEST_CASE("the cv section's sub-section reads nested or dotted, and dumps nested", "[cv]") {
  const daf::Config nested = daf::load_config_text(
      "data: {cache: c.h5}\ncv: {folds: 3, valid: {by: speaker, fraction: 0.25}}\n", "nested.yaml", {});
  CHECK(nested.cv.valid_by == "speaker");
  CHECK(nested.cv.valid_fraction == 0.25);
  const daf::Config dotted = daf::load_config("", {"data.cache=c.h5", "cv.folds=3", "cv.valid.by=speaker"});
  CHECK(dotted.cv.valid_by == "speaker");
  const std::string yaml = daf::config_to_yaml(nested);
  CHECK_THAT(yaml, ContainsSubstring("cv:\n  by: \"\"\n  folds: 3\n"));
  CHECK_THAT(yaml, ContainsSubstring("  valid:\n    by: speaker\n    fraction: 0.25\n"));
  CHECK(daf::load_config_text(yaml, "dumped", {}).cv.valid_fraction == 0.25);  // round trip
  CHECK_THROWS_WITH(daf::load_config_text("data: {cache: c.h5}\ncv: {valid: {size: 2}}\n", "bad.yaml", {}),
                    ContainsSubstring("cv.valid.size"));
}

namespace {

// 60 utterances over 5 sessions x 2 speakers, each speaker with 3 videos of 2 segments; every
// speaker has every emotion class and both sentiment signs, so every fold can learn each class.
daf::EmbeddingCache corpus_cache() {
  daf::EmbeddingCache cache;
  int64_t n = 0;
  for (const auto& split : daf::cache_split_names()) cache.splits[split];
  for (int session = 1; session <= 5; ++session)
    for (int speaker = 1; speaker <= 2; ++speaker)
      for (int video = 0; video < 3; ++video)
        for (int segment = 0; segment < 2; ++segment, ++n) {
          daf::SplitData& data = cache.splits[daf::cache_split_names()[static_cast<size_t>(n % 3)]];
          const std::string s = "Ses0" + std::to_string(session), spk = s + "_spk" + std::to_string(speaker);
          data.ids.push_back("u" + std::to_string(n));
          data.meta["session"].push_back(s);
          data.meta["speaker"].push_back(spk);
          data.meta["video"].push_back(spk + "_v" + std::to_string(video));
          data.labels["emotion"].push_back(static_cast<float>((video * 2 + segment) % 4));
          data.labels["sentiment"].push_back(segment == 0 ? 1.5f : -1.5f);
        }
  for (auto& [split, data] : cache.splits)
    for (const char* m : {"text", "audio", "video"}) data.features[m] = daf::FeatureMatrix(data.size(), 2);
  return cache;
}

// The no-leakage property, checked from the folds alone: the test parts partition the
// pooled utterances, and no `by` group of a fold's test part is in its train or valid part.
void check_folds(const daf::CvFolds& folds, const daf::EmbeddingCache& cache, const std::string& by) {
  std::map<std::string, std::string> group;
  for (const auto& [split, data] : cache.splits)
    for (size_t i = 0; i < data.ids.size(); ++i) group[data.ids[i]] = data.meta.at(by)[i];
  std::map<std::string, int> tested;
  for (const auto& parts : folds.parts) {
    std::set<std::string> test_groups, other_groups;
    for (size_t i = 0; i < folds.ids.size(); ++i) {
      if (parts[i] == "test") ++tested[folds.ids[i]], test_groups.insert(group[folds.ids[i]]);
      if (parts[i] == "train" || parts[i] == "valid") other_groups.insert(group[folds.ids[i]]);
    }
    for (const auto& g : test_groups) CHECK(other_groups.count(g) == 0);
  }
  CHECK(tested.size() == folds.ids.size());
  for (const auto& [id, count] : tested) CHECK(count == 1);
}

}  // namespace

TEST_CASE("every shipped cross-validation config makes folds without leakage", "[cv]") {
  TempDir dir;
  const daf::EmbeddingCache cache = corpus_cache();
  daf::write_cache(dir.file("corpus.h5"), cache);
  const std::string configs = std::string(DAF_SOURCE_DIR) + "/configs/";
  const std::string data = "data.cache=" + dir.file("corpus.h5");
  SECTION("iemocap-4class-loso.yaml: leave-one-session-out, one validation speaker") {
    const auto config = daf::load_config(configs + "iemocap-4class-loso.yaml", {data});
    const daf::CvFolds folds = daf::make_cv_folds(config);
    CHECK(folds.count() == 5);
    check_folds(folds, cache, "session");
    check_folds(folds, cache, "speaker");
    for (const auto& parts : folds.parts) CHECK(std::count(parts.begin(), parts.end(), "valid") == 6);  // one speaker
  }
  SECTION("mosi-5fold.yaml: grouped 5-fold over videos") {
    const auto config = daf::load_config(configs + "mosi-5fold.yaml", {data});
    const daf::CvFolds folds = daf::make_cv_folds(config);
    CHECK(folds.count() == 5);
    check_folds(folds, cache, "video");
    CHECK_THAT(folds.summary_yaml, ContainsSubstring("method: grouped k-fold"));
  }
  SECTION("ablate-categorical-cv.yaml: every condition on the same folds") {
    const daf::Sweep sweep = daf::load_sweep(configs + "ablate-categorical-cv.yaml", {data});
    CHECK(sweep.cv.count() == 5);
    check_folds(sweep.cv, cache, "session");
    check_folds(sweep.cv, cache, "speaker");
    const auto runs = sweep.runs();
    CHECK(runs.size() == 7 * 5 * 3);
    CHECK(runs[3].dir == sweep.output + "/dynamic/fold-2/seed-1111");
    CHECK(runs[3].config.data.split_file.size() > 0);
    CHECK_FALSE(runs[3].config.cv.enabled());
  }
}

namespace {

// A run's files as the sweep writes them: ablation.csv (clean row) and the test predictions.
void write_run(const std::string& dir, const std::vector<std::string>& ids, const std::vector<int>& truth,
               const std::vector<int>& predicted, double accuracy, double uar, const std::vector<int>& folds = {}) {
  std::filesystem::create_directories(dir + "/eval/test");
  daf::write_file_atomic(dir + "/ablation.csv", "eval,accuracy,UAR,loss\nclean," + std::to_string(accuracy) + "," +
                                                    std::to_string(uar) + ",0.5\n");
  std::string csv = std::string("id,label,true_class,predicted_class,probability_calm,probability_upset") +
                    (folds.empty() ? "" : ",cv_fold") + "\n";
  for (size_t i = 0; i < ids.size(); ++i)
    csv += ids[i] + "," + std::to_string(truth[i]) + "," + std::to_string(truth[i]) + "," +
           std::to_string(predicted[i]) + ",0.5,0.5" + (folds.empty() ? "" : "," + std::to_string(folds[i])) + "\n";
  daf::write_file_atomic(dir + "/eval/test/predictions.csv", csv);
}

}  // namespace

TEST_CASE("pooled and per-fold metrics, and the fold x seed comparison, worked by hand", "[cv]") {
  // Fold 1 tests u1, u2 (classes 0, 1); fold 2 tests u3..u6 (0, 0, 1, 1).
  //   a: fold 1 predicts 0 1 (UAR 1), fold 2 predicts 0 1 1 1 (recalls 0.5, 1: UAR 0.75)
  //   b: fold 1 predicts 0 0 (UAR 0.5), fold 2 predicts 0 0 0 1 (recalls 1, 0.5: UAR 0.75)
  // Pooled a: recalls 2/3 and 1, UAR 0.8333, not the folds' mean 0.875; pooled b: 1 and 1/3, 0.6667.
  // The (fold, seed) pairs differ by 0.5 and 0: t = 0.25 / (0.3536 / sqrt 2) = 1, 1 df, p = 0.5.
  TempDir dir;
  const std::string out = dir.path();
  daf::write_file_atomic(out + "/plan.yaml", R"(task: multiclass
conditions:
  - {name: a, fusion: dynamic, modalities: [text, audio], evaluations: [clean]}
  - {name: b, fusion: static, modalities: [text, audio], evaluations: [clean]}
seeds: [1]
evaluations: [clean]
reference: a
baseline: b
bootstrap: 20
cache: none.h5
folds: 2
pool: [train, valid, test]
runs:
  - {condition: a, seed: 1, fold: 1, dir: a/fold-1/seed-1}
  - {condition: a, seed: 1, fold: 2, dir: a/fold-2/seed-1}
  - {condition: b, seed: 1, fold: 1, dir: b/fold-1/seed-1}
  - {condition: b, seed: 1, fold: 2, dir: b/fold-2/seed-1}
)");
  const std::vector<std::string> f1 = {"u1", "u2"}, f2 = {"u3", "u4", "u5", "u6"};
  const std::vector<std::string> all = {"u1", "u2", "u3", "u4", "u5", "u6"};
  write_run(out + "/a/fold-1/seed-1", f1, {0, 1}, {0, 1}, 1.0, 1.0);
  write_run(out + "/a/fold-2/seed-1", f2, {0, 0, 1, 1}, {0, 1, 1, 1}, 0.75, 0.75);
  write_run(out + "/b/fold-1/seed-1", f1, {0, 1}, {0, 0}, 0.5, 0.5);
  write_run(out + "/b/fold-2/seed-1", f2, {0, 0, 1, 1}, {0, 0, 0, 1}, 0.75, 0.75);
  write_run(out + "/a/pooled/seed-1", all, {0, 1, 0, 0, 1, 1}, {0, 1, 0, 1, 1, 1}, 5.0 / 6, 5.0 / 6, {1, 1, 2, 2, 2, 2});
  write_run(out + "/b/pooled/seed-1", all, {0, 1, 0, 0, 1, 1}, {0, 0, 0, 0, 0, 1}, 4.0 / 6, 4.0 / 6, {1, 1, 2, 2, 2, 2});
  const auto result = daf::collect_sweep(out, {false, false});
  const std::string md = result.summary_markdown;
  CHECK_THAT(md, ContainsSubstring("| a         | 1.0000 | 0.7500 | 0.8750 ± 0.1768       | 0.8333 (one value)"));
  CHECK_THAT(md, ContainsSubstring("| b         | 0.5000 | 0.7500 | 0.6250 ± 0.1768       | 0.6667 (one value)"));
  CHECK_THAT(md, ContainsSubstring("| UAR         | 0.1667          | 0.1667               | 0.5000"));
  const std::string summary = daf::read_file(out + "/summary.csv");
  CHECK_THAT(summary, ContainsSubstring("a,1,0.8333"));
  CHECK_THAT(summary, ContainsSubstring(",accuracy_folds_mean,accuracy_folds_std,UAR_folds_mean,UAR_folds_std,"));
  INFO(summary);
  // a's folds: accuracy and UAR 1 and 0.75 (mean 0.875, sample std 0.25 / sqrt 2), loss 0.5 twice.
  CHECK_THAT(summary, ContainsSubstring(",0.875,0.1767766952966369,0.875,0.1767766952966369,0.5,0\n"));
  const std::string comparison = daf::read_file(out + "/comparison.csv");
  CHECK_THAT(comparison, ContainsSubstring("UAR,1,1,1,0.5,0.5\n"));
  CHECK_THAT(comparison, ContainsSubstring("UAR,2,1,0.75,0.75,0\n"));
  CHECK_THAT(daf::read_file(out + "/folds.csv"), ContainsSubstring("b,2,1,0.750000,0.750000,0.5\n"));
}
