#include "catch.h"
#include <yaml-cpp/yaml.h>

#include <set>
#include <cmath>
#include <fstream>

#include "daf/data/cache_io.h"
#include "daf/import/csd_file.h"
#include "daf/import/csd_import.h"
#include "daf/import/segment_alignment.h"
#include "daf/import/synthetic_csd.h"
#include "daf/util/strings.h"
#include "daf/util/error.h"
#include "hdf5_file.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using Approx = Catch::Approx;
using daf::test::TempDir;

namespace {

daf::CsdVideo stream(std::vector<std::pair<double, double>> intervals, std::vector<float> values) {
  daf::CsdVideo v;
  for (auto [a, b] : intervals) {
    v.starts.push_back(a);
    v.ends.push_back(b);
  }
  v.features = daf::FeatureMatrix(static_cast<int64_t>(values.size()), 1);
  v.features.values = values;
  return v;
}

// A hand-made sequence file: one root group, data/<video>/{features, intervals}.
void write_csd(const std::string& path, const std::string& root,
               const std::map<std::string, std::pair<std::vector<double>, std::vector<double>>>& videos, int64_t dim) {
  auto f = daf::hdf5::File::create(path, path);
  f.create_group("/" + root);
  f.create_group("/" + root + "/data");
  for (const auto& [id, data] : videos) {
    f.create_group("/" + root + "/data/" + id);
    f.write_doubles("/" + root + "/data/" + id + "/intervals", {static_cast<int64_t>(data.first.size() / 2), 2},
                    data.first.data());
    f.write_doubles("/" + root + "/data/" + id + "/features",
                    {static_cast<int64_t>(data.second.size()) / dim, dim}, data.second.data());
  }
  f.close();
}

daf::ImportConfig config_for(const TempDir& dir, std::vector<std::string> features, const std::string& folds) {
  std::ofstream(dir.file("folds.yaml")) << folds;
  return daf::load_import_config("", {"import.labels=" + dir.file("labels.csd"), "import.folds=" + dir.file("folds.yaml"),
                                      "import.output=" + dir.file("out.h5"), "import.label_columns=[sentiment, joy]",
                                      "import.features=[" + daf::join(features, ", ") + "]"});
}

}  // namespace

TEST_CASE("the SDK's rule: a row counts when its clipped overlap exceeds 1e-5", "[import][alignment]") {
  using daf::RowOverlap;
  CHECK(daf::classify_row(0.0, 1.0, 0.5, 2.0) == RowOverlap::used);
  CHECK(daf::clipped_overlap(0.0, 1.0, 0.5, 2.0) == Approx(0.5));
  // Touching the segment's start or end: not used.
  CHECK(daf::classify_row(0.0, 0.5, 0.5, 2.0) == RowOverlap::marginal);
  CHECK(daf::classify_row(2.0, 3.0, 0.5, 2.0) == RowOverlap::marginal);
  // Frame 139 of a 100 frames/s stream ends at 1.4000000000000001: a rounding error, not an overlap.
  const double end139 = 140 * 0.01;
  REQUIRE(end139 > 1.4);
  CHECK(daf::classify_row(139 * 0.01, end139, 1.4, 3.0) == RowOverlap::marginal);
  // An overlap of at most 1e-5 is not enough; a little more is.
  CHECK(daf::classify_row(0.0, 1.0 + 0.9e-5, 1.0, 2.0) == RowOverlap::marginal);
  CHECK(daf::classify_row(0.0, 1.0 + 2e-5, 1.0, 2.0) == RowOverlap::used);
  // A zero-length row is never used, even inside the segment.
  CHECK(daf::classify_row(1.5, 1.5, 1.0, 2.0) == RowOverlap::marginal);
  CHECK(daf::classify_row(3.0, 4.0, 1.0, 2.0) == RowOverlap::apart);
  // A row that contains the segment is clipped to it.
  CHECK(daf::clipped_overlap(0.0, 10.0, 1.0, 2.0) == Approx(1.0));
}

TEST_CASE("segments shorter than 1e-5 are dropped, as the SDK does", "[import][alignment]") {
  CHECK(daf::is_zero_length_segment(2.0, 2.0));
  CHECK(daf::is_zero_length_segment(2.0, 2.0 + 9e-6));
  CHECK(daf::is_zero_length_segment(2.0 + 9e-6, 2.0));
  CHECK_FALSE(daf::is_zero_length_segment(2.0, 2.0 + 1.1e-5));
}

TEST_CASE("rows are taken in start order, ties in file order", "[import][alignment]") {
  CHECK(daf::order_by_start({3.0, 1.0, 2.0, 1.0}) == std::vector<int64_t>{1, 3, 2, 0});
  auto v = stream({{2, 3}, {0, 1}, {1, 2}}, {5, 1, 3});
  v.words = {"c", "a", "b"};
  daf::sort_rows_by_start(v);
  CHECK(v.starts == std::vector<double>{0, 1, 2});
  CHECK(v.ends == std::vector<double>{1, 2, 3});
  CHECK(v.features.values == std::vector<float>{1, 3, 5});
  CHECK(v.words == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("averaging takes exactly the rows the SDK's rule assigns", "[import][alignment]") {
  // Rows [0,1]=1, [1,2]=3, [2,3]=5, a zero-length row at 1.5 = 7 and [0.99999, 1.000001] = 9.
  auto v = stream({{0, 1}, {1, 2}, {2, 3}, {1.5, 1.5}, {0.999999, 1.000001}}, {1, 3, 5, 7, 9});
  daf::sort_rows_by_start(v);
  float out = 0;
  auto rows = daf::average_segment(v, 0.5, 2.0, &out);
  CHECK(rows.used.size() == 2);  // [0,1] and [1,2]; [2,3] touches, the zero-length and the tiny row are too short
  CHECK(rows.marginal == 3);
  CHECK(out == Approx((1 + 3) / 2.0));
  rows = daf::average_segment(v, 1.0, 1.0 + 1e-6, &out);  // inside the tiny row, by less than 1e-5
  CHECK(rows.used.empty());
  CHECK(out == 0.0f);
  rows = daf::average_segment(v, 3.5, 4.0, &out);
  CHECK(rows.used.empty());
  CHECK(rows.marginal == 0);
  CHECK(out == 0.0f);
}

TEST_CASE("rows with NaN/Inf bounds or end < start are found and can be removed", "[import][alignment]") {
  auto v = stream({{0, 1}, {2, 1}, {NAN, 3}, {3, INFINITY}, {4, 5}}, {1, 2, 3, 4, 5});
  const auto bad = daf::bad_interval_rows(v);
  CHECK(bad == std::vector<int64_t>{1, 2, 3});
  daf::remove_rows(v, bad);
  CHECK(v.starts == std::vector<double>{0, 4});
  CHECK(v.features.values == std::vector<float>{1, 5});
  CHECK(v.features.rows == 2);
}

TEST_CASE("transcripts take the words the SDK's rule assigns, in start order, without sp", "[import][alignment]") {
  daf::CsdVideo words;
  words.starts = {1.5, 0, 0.5, 1.0, 1.2};
  words.ends = {2.0, 0.5, 1.0, 1.5, 1.2};
  words.words = {"it", "i", "sp", "liked", "uh"};  // file order is not time order; "uh" has zero length
  daf::sort_rows_by_start(words);
  CHECK(daf::words_in(words, 0.2, 1.6) == "i liked it");
  CHECK(daf::words_in(words, 0.5, 1.0).empty());
  CHECK(daf::words_in(words, 0.0, 1.0 + 1e-7) == "i");  // "liked" overlaps by a rounding error only
}

TEST_CASE("importing a hand-made set: ids, labels, averages, policies and counts", "[import]") {
  TempDir dir;
  // Labels: v1 has segments [0,2] and [2,4]; v2 has [0,1]. Two label columns.
  write_csd(dir.file("labels.csd"), "All Labels",
            {{"v1", {{0, 2, 2, 4}, {1.0, 0.5, -2.0, 0.0}}}, {"v2", {{0, 1}, {0.0, 1.0}}}}, 2);
  // Audio at 1 frame/s, 2 dims; a NaN in v1's second frame.
  write_csd(dir.file("audio.csd"), "COVAREP",
            {{"v1", {{0, 1, 1, 2, 2, 3, 3, 4}, {1, 10, NAN, 20, 5, 30, 7, 40}}}, {"v2", {{0, 1}, {2, 2}}}}, 2);
  // Video lacks v2 and covers only [0, 2) of v1.
  write_csd(dir.file("video.csd"), "FACET", {{"v1", {{0, 1, 1, 2}, {4, 6}}}}, 1);
  const std::string folds = "train: [v1]\nvalid: [v2]\ntest: [v3]\n";

  SECTION("drop") {
    const auto report = daf::import_csd(
        config_for(dir, {"audio=" + dir.file("audio.csd"), "video=" + dir.file("video.csd")}, folds));
    const auto cache = daf::read_cache(dir.file("out.h5"), {{}, {}, {"train", "valid"}, false});
    const auto& train = cache.splits.at("train");
    REQUIRE(train.ids == std::vector<std::string>{"v1[0]"});
    CHECK(train.labels.at("sentiment")[0] == 1.0f);
    CHECK(train.labels.at("joy")[0] == 0.5f);
    // Frames [0,1] and [1,2]; the NaN became 0: (1 + 0) / 2 and (10 + 20) / 2.
    CHECK(train.features.at("audio").row(0)[0] == Approx(0.5));
    CHECK(train.features.at("audio").row(0)[1] == Approx(15.0));
    CHECK(train.features.at("video").row(0)[0] == Approx(5.0));
    CHECK(cache.splits.at("valid").size() == 0);
    CHECK(report.nonfinite_replaced.at("audio") == 1);
    CHECK(report.no_frames.at("video") == 1);      // v1[1]: video ends at 2 s
    CHECK(report.missing_video.at("video") == 1);  // v2
    CHECK(report.dropped_segments == 2);
    CHECK(report.fold_videos_absent == std::vector<std::string>{"v3"});
    CHECK(cache.modality_attributes.at("audio").at("encoder") == "COVAREP");
  }
  SECTION("mask") {
    auto config = config_for(dir, {"audio=" + dir.file("audio.csd"), "video=" + dir.file("video.csd")}, folds);
    config.missing = "mask";
    const auto report = daf::import_csd(config);
    const auto cache = daf::read_cache(dir.file("out.h5"), {{}, {}, {"train", "valid"}, false});
    const auto& train = cache.splits.at("train");
    REQUIRE(train.ids == std::vector<std::string>{"v1[0]", "v1[1]"});
    CHECK(train.present.at("video") == std::vector<uint8_t>{1, 0});
    CHECK(train.features.at("video").row(1)[0] == 0.0f);
    CHECK(train.features.at("audio").row(1)[0] == Approx(6.0));  // (5 + 7) / 2
    CHECK(cache.splits.at("valid").ids == std::vector<std::string>{"v2[0]"});
    CHECK(report.masked.at("video") == 2);
    CHECK(report.dropped_segments == 0);
  }
  SECTION("non-finite values can be an error") {
    auto config = config_for(dir, {"audio=" + dir.file("audio.csd")}, folds);
    config.nonfinite = "error";
    CHECK_THROWS_WITH(daf::import_csd(config), ContainsSubstring("audio.csd: video 'v1': features row 1 column 0: non-finite"));
  }
}

TEST_CASE("malformed sequence files name the file, video and dataset", "[import]") {
  TempDir dir;
  std::ofstream(dir.file("text.csd")) << "not hdf5";
  CHECK_THROWS_WITH(daf::CsdFile::open(dir.file("text.csd")), ContainsSubstring("text.csd: not an HDF5 file"));
  auto empty = daf::hdf5::File::create(dir.file("empty.csd"), dir.file("empty.csd"));
  empty.close();
  CHECK_THROWS_WITH(daf::CsdFile::open(dir.file("empty.csd")), ContainsSubstring("expected one root group"));

  write_csd(dir.file("rows.csd"), "X", {{"v", {{0, 1, 1, 2}, {1, 2, 3}}}}, 1);
  CHECK_THROWS_WITH(daf::CsdFile::open(dir.file("rows.csd")).read_numeric("v"),
                    ContainsSubstring("rows.csd: video 'v': /X/data/v/features has 3 rows but intervals has 2"));
  {
    auto f = daf::hdf5::File::create(dir.file("rank.csd"), dir.file("rank.csd"));
    const std::vector<double> flat = {0, 1, 2};
    f.create_group("/X");
    f.create_group("/X/data");
    f.create_group("/X/data/v");
    f.write_doubles("/X/data/v/intervals", {3}, flat.data());
    f.write_doubles("/X/data/v/features", {3, 1}, flat.data());
  }
  CHECK_THROWS_WITH(daf::CsdFile::open(dir.file("rank.csd")).read_numeric("v"),
                    ContainsSubstring("/X/data/v/intervals: expected [T, 2]"));
  const auto files = daf::write_synthetic_csd(dir.file("synth"), {});
  CHECK_THROWS_WITH(daf::CsdFile::open(files.words).read_numeric("vid0"),
                    ContainsSubstring("/words/data/vid0/features: expected numbers"));
}

TEST_CASE("folds are checked", "[import]") {
  TempDir dir;
  const auto files = daf::write_synthetic_csd(dir.file("synth"), {});
  auto config = daf::load_import_config("", {"import.labels=" + files.labels, "import.features=[audio=" + files.covarep + "]",
                                             "import.folds=" + dir.file("f.yaml"), "import.output=" + dir.file("o.h5")});
  std::ofstream(dir.file("f.yaml")) << "train: [vid0]\nvalid: [vid0]\ntest: []\n";
  CHECK_THROWS_WITH(daf::import_csd(config), ContainsSubstring("video 'vid0' is in more than one fold"));
  std::ofstream(dir.file("f.yaml")) << "train: [vid0]\nvalid: [vid1]\n";
  CHECK_THROWS_WITH(daf::import_csd(config), ContainsSubstring("expected a list of video ids under 'test'"));
  std::ofstream(dir.file("f.yaml")) << "train: []\nvalid: []\ntest: []\n";
  CHECK_THROWS_WITH(daf::import_csd(config), ContainsSubstring("f.yaml: every fold is empty"));
  std::ofstream(dir.file("f.yaml")) << "train: [vid0]\nvalid: []\ntest: [vid2]\n";
  const auto report = daf::import_csd(config);  // an empty fold is an empty split
  CHECK(report.segments.at("valid") == 0);
  CHECK(report.segments.at("train") > 0);
  std::ofstream(dir.file("f.yaml")) << "train: [vid0, [a]]\nvalid: []\ntest: []\n";
  CHECK_THROWS_WITH(daf::import_csd(config), ContainsSubstring("f.yaml:1: fold 'train': expected a video id"));
  CHECK_THROWS_WITH(daf::load_import_config("", {}), ContainsSubstring("'import.labels' is not set"));
  config.features = {"audio"};
  CHECK_THROWS_WITH(daf::import_csd(config), ContainsSubstring("expected modality=path.csd, found 'audio'"));
}

TEST_CASE("the synthetic MOSEI-like set imports with every messy case counted", "[import]") {
  TempDir dir;
  const auto files = daf::write_synthetic_csd(dir.file("synth"), {});
  auto config = daf::load_import_config("", {"import.labels=" + files.labels, "import.words=" + files.words,
                                             "import.features=[audio=" + files.covarep + ", video=" + files.facet + "]",
                                             "import.folds=" + files.folds, "import.output=" + dir.file("o.h5"),
                                             "import.missing=mask"});
  const auto report = daf::import_csd(config);
  CHECK(report.videos == 12);
  CHECK(report.nonfinite_replaced.at("audio") == 2);
  CHECK(report.missing_video.at("video") > 0);
  CHECK(report.no_frames.at("video") == 1);
  CHECK(report.zero_length_segments == 1);
  CHECK(report.fold_videos_absent == std::vector<std::string>{"ghost"});
  int64_t segments = 0;
  for (const auto& [split, n] : report.segments) segments += n;
  CHECK(segments == files.segments - 1);  // vid1's zero-length segment gets no key, as in the SDK
  const auto cache = daf::read_cache(dir.file("o.h5"));
  CHECK(cache.splits.at("train").features.at("audio").cols == 74);
  CHECK(cache.splits.at("train").features.at("video").cols == 35);
  CHECK(cache.splits.at("train").labels.size() == 7);
  CHECK(cache.splits.at("train").transcripts.size() == static_cast<size_t>(cache.splits.at("train").size()));
  CHECK_THAT(report.text(), ContainsSubstring("fold videos in no file: 1 (ghost)"));
}

TEST_CASE("the synthetic set takes the SDK's file names and, with csd.folds, a folds file's video ids", "[import]") {
  TempDir dir;
  const auto plain = daf::write_synthetic_csd(dir.file("plain"), {});
  CHECK(plain.labels == dir.file("plain") + "/CMU_MOSEI_Labels.csd");
  CHECK(plain.word_vectors == dir.file("plain") + "/CMU_MOSEI_TimestampedWordVectors.csd");
  CHECK(plain.bytes > 0);
  const auto vectors = daf::CsdFile::open(plain.word_vectors).read_numeric("vid0");
  const auto words = daf::CsdFile::open(plain.words).read_words("vid0");
  REQUIRE(vectors.rows() == words.rows());  // one vector per word, on the same intervals
  CHECK(vectors.starts == words.starts);
  CHECK(vectors.features.cols == 300);
  CHECK(words.words.front() == "sp");

  // 20 videos from folds of 30 / 10 / 60 videos: 6 / 2 / 12, the first of each fold.
  std::string folds = "train: [";
  for (int i = 0; i < 30; ++i) folds += (i ? ", t" : "t") + std::to_string(i);
  folds += "]\nvalid: [";
  for (int i = 0; i < 10; ++i) folds += (i ? ", v" : "v") + std::to_string(i);
  folds += "]\ntest: [";
  for (int i = 0; i < 60; ++i) folds += (i ? ", s" : "s") + std::to_string(i);
  std::ofstream(dir.file("folds.yaml")) << folds << "]\n";
  daf::SyntheticCsdSpec spec;
  spec.videos = 20;
  spec.folds = dir.file("folds.yaml");
  const auto named = daf::write_synthetic_csd(dir.file("named"), spec);
  CHECK(named.folds == dir.file("folds.yaml"));
  const auto config = daf::load_import_config("", {"import.labels=" + named.labels, "import.folds=" + named.folds,
                                                   "import.features=[audio=" + named.covarep + "]",
                                                   "import.output=" + dir.file("named.h5")});
  const auto report = daf::import_csd(config);
  CHECK(report.videos == 20);
  CHECK(report.fold_videos_absent.size() == 80);
  CHECK_THAT(report.text(), ContainsSubstring("fold videos in no file: 80 (t6, t7, t8, t9, t10, t11, t12, t13, t14, t15, and 70 more)"));
  const auto cache = daf::read_cache(dir.file("named.h5"));
  CHECK(cache.splits.at("valid").ids.front() == "v0[0]");
  CHECK(cache.splits.at("valid").ids.back().rfind("v1[", 0) == 0);
  spec.videos = 700;
  CHECK_THROWS_WITH(daf::write_synthetic_csd(dir.file("big"), spec),
                    ContainsSubstring("csd.folds: " + dir.file("folds.yaml") + " has 30 videos in 'train', 210 wanted for csd.videos=700"));
}

TEST_CASE("bad labels and intervals name the labels file, video and segment or row", "[import]") {
  TempDir dir;
  const std::string folds = "train: [v1]\nvalid: []\ntest: []\n";
  write_csd(dir.file("audio.csd"), "COVAREP", {{"v1", {{0, 1, 1, 2, 2, 3, 3, 4}, {1, 2, 3, 4}}}}, 1);
  SECTION("a NaN label") {
    write_csd(dir.file("labels.csd"), "All Labels", {{"v1", {{0, 2, 2, 4}, {1.0, 0.5, NAN, 0.0}}}}, 2);
    CHECK_THROWS_WITH(daf::import_csd(config_for(dir, {"audio=" + dir.file("audio.csd")}, folds)),
                      ContainsSubstring("labels.csd: video 'v1' segment 1 (v1[1]): label column 'sentiment': expected a "
                               "finite value, found NaN"));
  }
  SECTION("a segment that ends before it starts") {
    write_csd(dir.file("labels.csd"), "All Labels", {{"v1", {{0, 2, 3, 2.5, 2, 4}, {1, 0, 2, 0, 3, 0}}}}, 2);
    auto config = config_for(dir, {"audio=" + dir.file("audio.csd")}, folds);
    CHECK_THROWS_WITH(daf::import_csd(config),
                      ContainsSubstring("labels.csd: video 'v1': intervals row 1 (segment): [3, 2.5] ends before it starts"));
    config.bad_intervals = "skip";
    const auto report = daf::import_csd(config);
    CHECK(report.bad_intervals.at(dir.file("labels.csd")) == 1);
    const auto cache = daf::read_cache(dir.file("out.h5"), {{}, {}, {"train"}, false});
    CHECK(cache.splits.at("train").ids == std::vector<std::string>{"v1[0]", "v1[2]"});  // numbering kept
  }
  SECTION("a feature row with a NaN bound") {
    write_csd(dir.file("labels.csd"), "All Labels", {{"v1", {{0, 2}, {1, 0}}}}, 2);
    write_csd(dir.file("audio.csd"), "COVAREP", {{"v1", {{0, 1, NAN, 2, 1, 2}, {1, 100, 3}}}}, 1);
    auto config = config_for(dir, {"audio=" + dir.file("audio.csd")}, folds);
    CHECK_THROWS_WITH(daf::import_csd(config), ContainsSubstring("audio.csd: video 'v1': intervals row 1 (row): [nan, 2] has "
                                                        "a NaN or infinite bound"));
    config.bad_intervals = "skip";
    const auto report = daf::import_csd(config);
    CHECK(report.bad_intervals.at(dir.file("audio.csd")) == 1);
    const auto cache = daf::read_cache(dir.file("out.h5"), {{}, {}, {"train"}, false});
    CHECK(cache.splits.at("train").features.at("audio").row(0)[0] == Approx(2.0));  // (1 + 3) / 2
  }
}

TEST_CASE("the shipped standard folds: the SDK's counts, no video in two folds", "[import][folds]") {
  const std::map<std::string, std::map<std::string, size_t>> expected = {
      {"cmu-mosei", {{"train", 2249}, {"valid", 300}, {"test", 678}}},
      {"cmu-mosi", {{"train", 52}, {"valid", 10}, {"test", 31}}}};
  for (const auto& [name, counts] : expected) {
    const std::string path = std::string(DAF_SOURCE_DIR) + "/configs/folds/" + name + ".yaml";
    const YAML::Node root = YAML::LoadFile(path);
    std::set<std::string> all;
    size_t total = 0;
    for (const auto& [split, count] : counts) {
      INFO(path << " " << split);
      REQUIRE(root[split].IsSequence());
      CHECK(root[split].size() == count);
      for (const auto& id : root[split]) all.insert(id.as<std::string>());
      total += count;
    }
    CHECK(all.size() == total);  // no id twice
  }
  // daf-import reads it: two labelled MOSEI videos (a prefix pair) are found, the rest reported absent.
  TempDir dir;
  write_csd(dir.file("labels.csd"), "All Labels", {{"25522", {{0, 2}, {1, 0}}}, {"255224", {{0, 2}, {2, 0}}}}, 2);
  write_csd(dir.file("audio.csd"), "COVAREP", {{"25522", {{0, 2}, {1}}}, {"255224", {{0, 2}, {3}}}}, 1);
  auto config = config_for(dir, {"audio=" + dir.file("audio.csd")}, "");
  config.folds = std::string(DAF_SOURCE_DIR) + "/configs/folds/cmu-mosei.yaml";
  const auto report = daf::import_csd(config);
  CHECK(report.videos == 2);
  CHECK(report.fold_videos_absent.size() == 3225);
  CHECK(report.segments.at("train") == 2);
}
