// daf-import on CMU-MultimodalSDK computational sequences. As for the cache
// harness, the input describes the .csd files (videos, intervals chosen among
// boundary cases and arbitrary doubles, feature shapes and values, words) and
// the folds file; the harness writes them and runs the whole import, so the
// SDK alignment rule, the interval checks and the policies see hostile data.
#include <fuzzer/FuzzedDataProvider.h>

#include "daf/import/csd_import.h"
#include "fuzz_common.h"
#include "hdf5_file.h"

namespace {

const std::vector<std::string> kVideos = {"v1", "v2", "25522", "255224"};

double time_value(FuzzedDataProvider& in) {
  static const double kChoices[] = {0.0, 0.5, 1.0, 1.39, 1.4, 140 * 0.01, 1.4 + 5e-6, 2.0, -1.0, 1e300,
                                    std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()};
  return in.ConsumeBool() ? in.PickValueInArray(kChoices) : in.ConsumeFloatingPointInRange<double>(-1.0, 5.0);
}

void write_sequence(const std::string& path, const std::string& root, FuzzedDataProvider& in, int64_t dims,
                    bool words) {
  auto f = daf::hdf5::File::create(path, path);
  f.create_group("/" + root);
  f.create_group("/" + root + "/data");
  for (const auto& video : kVideos) {
    if (!in.ConsumeBool()) continue;
    const std::string group = "/" + root + "/data/" + video;
    f.create_group(group);
    const int64_t rows = in.ConsumeIntegralInRange<int64_t>(0, 6);
    const int64_t columns = in.ConsumeIntegralInRange<int64_t>(0, 10) == 0 ? 3 : 2;
    std::vector<double> intervals(static_cast<size_t>(rows * columns));
    for (auto& t : intervals) t = time_value(in);
    f.write_doubles(group + "/intervals", {rows, columns}, intervals.data());
    const int64_t feature_rows = in.ConsumeIntegralInRange<int64_t>(0, 10) == 0 ? rows + 1 : rows;
    if (words) {
      std::vector<std::string> tokens(static_cast<size_t>(feature_rows));
      for (auto& w : tokens) w = in.ConsumeBool() ? "sp" : in.ConsumeRandomLengthString(5);
      f.write_word_column(group + "/features", tokens);
    } else {
      std::vector<double> values(static_cast<size_t>(feature_rows * dims));
      for (auto& v : values) v = in.ConsumeBool() ? in.ConsumeFloatingPoint<double>() : in.ConsumeIntegralInRange(-2, 2);
      f.write_doubles(group + "/features", {feature_rows, dims}, values.data());
    }
  }
  f.close();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const std::string dir = daf::fuzz::scratch();
  const int64_t label_columns = in.ConsumeIntegralInRange<int64_t>(1, 2);
  write_sequence(dir + "/labels.csd", "All Labels", in, label_columns, false);
  write_sequence(dir + "/audio.csd", "COVAREP", in, in.ConsumeIntegralInRange<int64_t>(1, 3), false);
  const bool with_words = in.ConsumeBool();
  if (with_words) write_sequence(dir + "/words.csd", "words", in, 1, true);
  std::string folds;
  if (in.ConsumeIntegralInRange(0, 9) == 0) {
    folds = in.ConsumeRandomLengthString(64);
  } else {
    std::map<std::string, std::vector<std::string>> splits = {{"train", {}}, {"valid", {}}, {"test", {}}};
    for (const auto& video : kVideos) {
      const int where = in.ConsumeIntegralInRange(0, 3);
      if (where < 3) splits[where == 0 ? "train" : where == 1 ? "valid" : "test"].push_back(video);
    }
    for (const auto& [split, videos] : splits) {
      folds += split + ": [";
      for (size_t i = 0; i < videos.size(); ++i) folds += (i ? ", '" : "'") + videos[i] + "'";
      folds += "]\n";
    }
  }
  daf::fuzz::write_input("folds.yaml", reinterpret_cast<const uint8_t*>(folds.data()), folds.size());
  std::vector<std::string> overrides = {
      "import.labels=" + dir + "/labels.csd", "import.features=[audio=" + dir + "/audio.csd]",
      "import.folds=" + dir + "/folds.yaml", "import.output=" + dir + "/out.h5",
      std::string("import.label_columns=") + (label_columns == 1 ? "[sentiment]" : "[sentiment, joy]"),
      std::string("import.missing=") + (in.ConsumeBool() ? "drop" : "mask"),
      std::string("import.nonfinite=") + (in.ConsumeBool() ? "zero" : "error"),
      std::string("import.bad_intervals=") + (in.ConsumeBool() ? "error" : "skip")};
  if (with_words) overrides.push_back("import.words=" + dir + "/words.csd");
  daf::fuzz::expect_clean_errors([&] { daf::import_csd(daf::load_import_config("", overrides)); });
  return 0;
}
