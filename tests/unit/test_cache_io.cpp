#include "catch.h"
#include <cmath>
#include <fstream>

#include <functional>

#include "daf/data/cache_io.h"
#include "daf/util/error.h"
#include "hdf5_file.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using daf::test::TempDir;

TEST_CASE("a cache round-trips through HDF5", "[cache]") {
  TempDir dir;
  auto cache = daf::test::small_cache();
  cache.splits["test"].present["audio"] = std::vector<uint8_t>(80, 1);
  cache.splits["test"].present["audio"][3] = 0;
  daf::write_cache(dir.file("c.h5"), cache);
  const auto back = daf::read_cache(dir.file("c.h5"));
  for (const auto& split : daf::cache_split_names()) {
    const auto& a = cache.splits.at(split);
    const auto& b = back.splits.at(split);
    CHECK(a.ids == b.ids);
    CHECK(a.labels == b.labels);
    for (const auto& [m, matrix] : a.features) {
      CHECK(b.features.at(m).cols == matrix.cols);
      CHECK(b.features.at(m).values == matrix.values);
    }
  }
  CHECK(back.splits.at("test").present.at("audio")[3] == 0);
  CHECK(back.modality_attributes.at("text").at("encoder") == "daf-synth");
  const auto contents = daf::list_cache_contents(dir.file("c.h5"));
  CHECK(contents.modalities == std::vector<std::string>{"audio", "text", "video"});
}

TEST_CASE("reading selects modalities and labels", "[cache]") {
  TempDir dir;
  daf::write_cache(dir.file("c.h5"), daf::test::small_cache());
  daf::CacheReadOptions options;
  options.modalities = {"text"};
  options.labels = {"sentiment"};
  options.splits = {"valid"};
  const auto cache = daf::read_cache(dir.file("c.h5"), options);
  CHECK(cache.splits.size() == 1);
  CHECK(cache.splits.at("valid").features.size() == 1);
  CHECK(cache.splits.at("valid").labels.size() == 1);
  options.modalities = {"vidoe"};
  CHECK_THROWS_WITH(daf::read_cache(dir.file("c.h5"), options),
                    ContainsSubstring("/valid/features has no modality 'vidoe'") && ContainsSubstring("did you mean 'video'?"));
}

namespace {
// Writes `cache` through the raw HDF5 layer, which checks nothing, then lets
// `edit` add a defect. write_cache itself refuses to write defective caches.
std::string write_raw(const TempDir& dir, const daf::EmbeddingCache& cache,
                      const std::function<void(daf::hdf5::File&)>& edit = {}) {
  const auto path = dir.file("raw.h5");
  auto out = daf::hdf5::File::create(path, path);
  out.write_int_attribute("/", "daf_format", 1);
  for (const auto& [split, data] : cache.splits) {
    out.create_group("/" + split);
    out.create_group("/" + split + "/labels");
    out.create_group("/" + split + "/features");
    out.write_strings("/" + split + "/ids", data.ids);
    for (const auto& [name, values] : data.labels)
      out.write_floats("/" + split + "/labels/" + name, {static_cast<int64_t>(values.size())}, values.data());
    for (const auto& [m, matrix] : data.features)
      out.write_floats("/" + split + "/features/" + m, {matrix.rows, matrix.cols}, matrix.values.data());
  }
  if (edit) edit(out);
  out.close();
  return path;
}
}  // namespace

TEST_CASE("reading rejects defects with file, split, dataset and row", "[cache]") {
  TempDir dir;
  SECTION("not a file / not HDF5 / not a daf cache") {
    CHECK_THROWS_WITH(daf::read_cache(dir.file("none.h5")), ContainsSubstring("none.h5: cannot open file"));
    std::ofstream(dir.file("text.h5")) << "hello";
    CHECK_THROWS_WITH(daf::read_cache(dir.file("text.h5")), ContainsSubstring("text.h5: not an HDF5 file"));
    auto f = daf::hdf5::File::create(dir.file("empty.h5"), dir.file("empty.h5"));
    f.close();
    CHECK_THROWS_WITH(daf::read_cache(dir.file("empty.h5")), ContainsSubstring("root attribute 'daf_format' is missing"));
  }
  SECTION("missing group") {
    auto f = daf::hdf5::File::create(dir.file("g.h5"), dir.file("g.h5"));
    f.write_int_attribute("/", "daf_format", 1);
    f.create_group("/train");
    f.close();
    CHECK_THROWS_WITH(daf::read_cache(dir.file("g.h5")), ContainsSubstring("g.h5: missing group /train/features"));
  }
  SECTION("unsupported version") {
    auto f = daf::hdf5::File::create(dir.file("v.h5"), dir.file("v.h5"));
    f.write_int_attribute("/", "daf_format", 9);
    f.close();
    CHECK_THROWS_WITH(daf::read_cache(dir.file("v.h5")), ContainsSubstring("format version 9 is not supported"));
  }
  SECTION("row-count mismatch") {
    const auto path = write_raw(dir, daf::test::small_cache(), [](daf::hdf5::File& f) {
      std::vector<float> short_labels(5, 0.0f);
      f.write_floats("/valid/labels/extra", {5}, short_labels.data());
    });
    CHECK_THROWS_WITH(daf::read_cache(path), ContainsSubstring("/valid/labels/extra has 5 rows but /valid/ids has 80"));
  }
  SECTION("wrong rank") {
    const auto path = write_raw(dir, daf::test::small_cache(), [](daf::hdf5::File& f) {
      std::vector<float> values(80, 0.0f);
      f.write_floats("/test/labels/flat2d", {80, 1}, values.data());
    });
    CHECK_THROWS_WITH(daf::read_cache(path), ContainsSubstring("/test/labels/flat2d: expected a 1-D dataset, found rank 2"));
  }
  SECTION("modality missing in one split") {
    const auto path = write_raw(dir, daf::test::small_cache(), [](daf::hdf5::File& f) {
      std::vector<float> values(80 * 3, 0.0f);
      f.write_floats("/test/features/extra", {80, 3}, values.data());
    });
    CHECK_THROWS_WITH(daf::read_cache(path), ContainsSubstring("/train/features/extra is missing but /test/features/extra exists"));
  }
}

TEST_CASE("duplicate ids and non-finite values are rejected in memory and on disk", "[cache]") {
  TempDir dir;
  auto cache = daf::test::small_cache();
  SECTION("duplicate id") {
    cache.splits["train"].ids[7] = cache.splits["train"].ids[2];
    CHECK_THROWS_WITH(daf::write_cache(dir.file("d.h5"), cache),
                      ContainsSubstring("/train/ids: duplicate id 'synth_train_000002' at rows 2 and 7"));
  }
  SECTION("NaN feature: error, or replaced and counted") {
    auto& audio = cache.splits["valid"].features["audio"];
    audio.row(4)[2] = std::nanf("");
    audio.row(9)[0] = -INFINITY;
    write_raw(dir, cache);
    std::filesystem::rename(dir.file("raw.h5"), dir.file("nan.h5"));
    CHECK_THROWS_WITH(daf::read_cache(dir.file("nan.h5")),
                      ContainsSubstring("/valid/features/audio row 4 (id 'synth_valid_000004') column 2: non-finite value nan") &&
                          ContainsSubstring("data.nonfinite"));
    daf::CacheReadOptions options;
    options.replace_nonfinite = true;
    daf::CacheReadReport report;
    const auto read = daf::read_cache(dir.file("nan.h5"), options, &report);
    CHECK(report.nonfinite_replaced.at("audio") == 2);
    CHECK(read.splits.at("valid").features.at("audio").row(4)[2] == 0.0f);
  }
  SECTION("NaN label") {
    cache.splits["test"].labels["sentiment"][1] = std::nanf("");
    CHECK_THROWS_WITH(daf::write_cache(dir.file("l.h5"), cache),
                      ContainsSubstring("/test/labels/sentiment row 1 (id 'synth_test_000001'): expected a finite label"));
  }
  SECTION("mismatched widths across splits") {
    cache.splits["test"].features["video"] = daf::FeatureMatrix(80, 3);
    CHECK_THROWS_WITH(daf::write_cache(dir.file("w.h5"), cache),
                      ContainsSubstring("/test/features/video has 3 columns but /train/features/video has 4"));
  }
}

TEST_CASE("a failed write leaves no file under the real name", "[cache]") {
  TempDir dir;
  auto cache = daf::test::small_cache();
  cache.splits["train"].ids[1] = cache.splits["train"].ids[0];
  CHECK_THROWS(daf::write_cache(dir.file("x.h5"), cache));
  CHECK_FALSE(std::filesystem::exists(dir.file("x.h5")));
}

TEST_CASE("empty or non-UTF-8 ids, mask values other than 0/1 and empty splits are named", "[cache]") {
  TempDir dir;
  auto cache = daf::test::small_cache();
  auto bad = cache;
  bad.splits["train"].ids[4] = "";
  CHECK_THROWS_WITH(daf::write_cache(dir.file("a.h5"), bad), ContainsSubstring("/train/ids row 4: empty id"));
  bad = cache;
  bad.splits["valid"].ids[2] = "vid\xff";
  CHECK_THROWS_WITH(daf::write_cache(dir.file("a.h5"), bad),
                    ContainsSubstring("/valid/ids row 2: id is not valid UTF-8 (bad byte at offset 3)"));
  bad = cache;
  bad.splits["test"].present["audio"] = std::vector<uint8_t>(80, 1);
  bad.splits["test"].present["audio"][7] = 2;
  CHECK_THROWS_WITH(daf::write_cache(dir.file("a.h5"), bad),
                    ContainsSubstring("/test/present/audio row 7") && ContainsSubstring("expected 0 (missing) or 1 (present), found 2"));
  auto empty = cache;
  empty.splits["test"] = daf::SplitData{};
  for (auto& [name, values] : cache.splits["test"].labels) empty.splits["test"].labels[name];
  for (auto& [name, matrix] : cache.splits["test"].features)
    empty.splits["test"].features[name] = daf::FeatureMatrix(0, matrix.cols);
  CHECK_NOTHROW(daf::require_rows(cache, "x.h5"));
  CHECK_THROWS_WITH(daf::require_rows(empty, "x.h5"), ContainsSubstring("x.h5: split 'test' has no rows"));
  CHECK_NOTHROW(daf::require_rows(empty, "x.h5", {"train"}));
}

TEST_CASE("a cache cannot be created where the OS refuses, and says why", "[cache]") {
  TempDir dir;
  std::ofstream(dir.file("plain")) << "a file, not a folder";
  CHECK_THROWS_WITH(daf::hdf5::File::create(dir.file("plain/y.h5"), "y.h5"),
                    ContainsSubstring("y.h5: cannot create HDF5 file: Not a directory"));
  CHECK_THROWS_WITH(daf::write_cache(dir.file("plain/y.h5"), daf::test::small_cache()),
                    ContainsSubstring("plain: cannot create folder"));
}

TEST_CASE("meta columns round-trip; integer columns read as text; version 1 files still read", "[cache]") {
  TempDir dir;
  auto cache = daf::test::small_cache();
  for (auto& [split, data] : cache.splits) {
    data.meta.clear();  // daf-synth's own speaker column
    for (int64_t i = 0; i < data.size(); ++i) data.meta["speaker"].push_back(i % 2 ? "Ses01F" : "");
  }
  daf::write_cache(dir.file("m.h5"), cache);
  const auto back = daf::read_cache(dir.file("m.h5"));
  CHECK(back.splits.at("valid").meta.at("speaker") == cache.splits.at("valid").meta.at("speaker"));
  CHECK(daf::list_cache_contents(dir.file("m.h5")).meta == std::vector<std::string>{"speaker"});
  {
    auto f = daf::hdf5::File::open_read(dir.file("m.h5"));
    int64_t version = 0;
    CHECK(f.read_int_attribute("/", "daf_format", version));
    CHECK(version == 2);
  }

  // A version 1 file (no meta/), and integer meta columns as another writer may store them.
  std::vector<double> session(80);
  for (size_t i = 0; i < session.size(); ++i) session[i] = static_cast<double>(i % 5 + 1);
  const auto old = write_raw(dir, daf::test::small_cache(), [&](daf::hdf5::File& f) {
    f.create_group("/test/meta");
    f.write_doubles("/test/meta/session", {80}, session.data());
  });
  const auto read = daf::read_cache(old);
  CHECK(read.splits.at("train").meta.empty());
  const auto& column = read.splits.at("test").meta.at("session");
  CHECK(column[0] == "1");
  CHECK(column[6] == "2");
  CHECK(daf::list_cache_contents(old).meta.empty());  // not in every split

  session[3] = 2.5;
  const auto fractional = write_raw(dir, daf::test::small_cache(), [&](daf::hdf5::File& f) {
    f.create_group("/test/meta");
    f.write_doubles("/test/meta/session", {80}, session.data());
  });
  CHECK_THROWS_WITH(daf::read_cache(fractional),
                    ContainsSubstring("/test/meta/session row 3: expected strings or integers, found 2.5"));

  auto bad = daf::test::small_cache();
  bad.splits["test"].meta["speaker"] = {"a", "b"};
  CHECK_THROWS_WITH(daf::write_cache(dir.file("bad.h5"), bad),
                    ContainsSubstring("/test/meta/speaker has 2 rows but /test/ids has 80"));
  bad.splits["test"].meta.clear();
  bad.splits["test"].meta["a/b"] = std::vector<std::string>(80, "x");
  CHECK_THROWS_WITH(daf::write_cache(dir.file("bad.h5"), bad), ContainsSubstring("column name 'a/b' is not usable"));

  auto newer = daf::hdf5::File::create(dir.file("v3.h5"), dir.file("v3.h5"));
  newer.write_int_attribute("/", "daf_format", 3);
  newer.close();
  CHECK_THROWS_WITH(daf::read_cache(dir.file("v3.h5")),
                    ContainsSubstring("format version 3 is not supported (expected 1 to 2; written by a newer daf)"));
}
