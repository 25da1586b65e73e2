#include "daf/import/synthetic_csd.h"

#include <cmath>
#include <filesystem>
#include <limits>
#include <random>

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/util/atomic_file.h"
#include "data/hdf5_file.h"

namespace daf {
namespace {

// Writes one sequence file under a temporary name; finish() renames it into place.
struct Writer {
  AtomicOutput output;
  hdf5::File file;
  std::string root;

  Writer(const std::string& path, const std::string& sequence)
      : output(path), file(hdf5::File::create(output.temp_path(), path)), root("/" + sequence) {
    file.create_group(root);
    file.create_group(root + "/data");
    file.create_group(root + "/metadata");
    file.write_strings(root + "/metadata/root name", {sequence});
  }
  void video(const std::string& id, const std::vector<double>& intervals, const std::vector<double>& features,
             int64_t dim) {
    const std::string group = root + "/data/" + id;
    file.create_group(group);
    const auto rows = static_cast<int64_t>(intervals.size() / 2);
    file.write_doubles(group + "/features", {rows, dim}, features.data());
    file.write_doubles(group + "/intervals", {rows, 2}, intervals.data());
  }
  void finish() {
    file.close();
    output.commit();
  }
  void words(const std::string& id, const std::vector<double>& intervals, const std::vector<std::string>& words) {
    const std::string group = root + "/data/" + id;
    file.create_group(group);
    file.write_word_column(group + "/features", words);
    file.write_doubles(group + "/intervals", {static_cast<int64_t>(words.size()), 2}, intervals.data());
  }
};

// Frames at `rate` per second over [0, duration), each dim a noisy function of the sentiment at that time.
void frames(double duration, double rate, int64_t dim, std::mt19937_64& rng, std::vector<double>& intervals,
            std::vector<double>& features) {
  std::normal_distribution<double> normal(0.0, 1.0);
  const auto count = static_cast<int64_t>(duration * rate);
  intervals.resize(static_cast<size_t>(2 * count));
  features.resize(static_cast<size_t>(count * dim));
  for (int64_t t = 0; t < count; ++t) {
    intervals[static_cast<size_t>(2 * t)] = t / rate;
    intervals[static_cast<size_t>(2 * t + 1)] = (t + 1) / rate;
    for (int64_t d = 0; d < dim; ++d) features[static_cast<size_t>(t * dim + d)] = normal(rng);
  }
}

}  // namespace

void declare_synthetic_csd_options(OptionSet& o, SyntheticCsdSpec& s) {
  o.add("csd.videos", s.videos, 12, "videos to write (MOSEI has 3,227; at least 6)", Range::at_least(6));
  o.add("csd.segments_per_video", s.segments_per_video, 7.0, "mean labelled segments per video", Range::at_least(1));
  o.add("csd.segment_seconds", s.segment_seconds, 8.0, "mean segment length in seconds", Range::above(0));
  o.add("csd.seed", s.seed, 3, "random seed", Range::at_least(0));
}

SyntheticCsdSpec load_synthetic_csd_spec(const std::vector<std::string>& overrides) {
  SyntheticCsdSpec spec;
  OptionSet options;
  declare_synthetic_csd_options(options, spec);
  apply_config_sources(options, "", overrides);
  return spec;
}

SyntheticCsdFiles write_synthetic_csd(const std::string& dir, const SyntheticCsdSpec& spec) {
  std::filesystem::create_directories(dir);
  SyntheticCsdFiles files{dir + "/labels.csd", dir + "/COVAREP.csd", dir + "/FACET.csd", dir + "/words.csd",
                          dir + "/folds.yaml", 0};
  Writer labels(files.labels, "All Labels"), covarep(files.covarep, "COVAREP"), facet(files.facet, "FACET 4.2"),
      words(files.words, "words");
  std::mt19937_64 rng(static_cast<uint64_t>(spec.seed));
  std::poisson_distribution<int> segment_count(spec.segments_per_video - 1);
  std::exponential_distribution<double> segment_length(1.0 / spec.segment_seconds);
  std::uniform_real_distribution<double> score(-3.0, 3.0);
  const std::vector<std::string> vocabulary = {"i", "really", "liked", "this", "movie", "not", "great", "sp", "but"};
  std::vector<std::string> ids;
  std::vector<double> intervals, features;
  for (int64_t v = 0; v < spec.videos; ++v) {
    const std::string id = "vid" + std::to_string(v);
    ids.push_back(id);
    const int segments = 1 + segment_count(rng);
    std::vector<double> label_intervals, label_values;
    double t = 0.5;
    for (int s = 0; s < segments; ++s) {
      const double length = (v == 1 && s == 0) ? 0.0 : 1.0 + segment_length(rng);  // vid1 starts with a zero-length segment
      label_intervals.insert(label_intervals.end(), {t, t + length});
      label_values.push_back(std::round(score(rng) * 3) / 3);
      for (int e = 0; e < 6; ++e) label_values.push_back(std::abs(score(rng)) / 3);
      t += length + 0.25;
    }
    files.segments += segments;
    labels.video(id, label_intervals, label_values, 7);

    const double duration = t + 0.5;
    frames(duration, 100.0, 74, rng, intervals, features);
    if (v == 2) {  // COVAREP's -inf and NaN
      features[5] = -std::numeric_limits<double>::infinity();
      features[80] = std::numeric_limits<double>::quiet_NaN();
    }
    covarep.video(id, intervals, features, 74);
    if (v != 3) {  // FACET lacks vid3
      // vid4's FACET stream ends early: its last segment has no overlapping frames.
      frames(v == 4 ? label_intervals[label_intervals.size() - 2] - 0.1 : duration, 30.0, 35, rng, intervals, features);
      facet.video(id, intervals, features, 35);
    }
    std::vector<std::string> spoken;
    std::vector<double> word_intervals;
    for (double w = 0; w + 0.4 < duration; w += 0.4) {
      spoken.push_back(vocabulary[static_cast<size_t>(rng() % vocabulary.size())]);
      word_intervals.insert(word_intervals.end(), {w, w + 0.4});
    }
    words.words(id, word_intervals, spoken);
  }
  // Split 70/10/20 like MOSEI's folds, plus a video that no file holds.
  std::string folds = "train: [";
  const size_t train_end = ids.size() * 7 / 10, valid_end = std::max(train_end + 1, ids.size() * 8 / 10);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i == train_end) folds += "]\nvalid: [";
    if (i == valid_end) folds += "]\ntest: [";
    folds += (i == 0 || i == train_end || i == valid_end ? "" : ", ") + ids[i];
  }
  folds += ", ghost]\n";
  for (auto* w : {&labels, &covarep, &facet, &words}) w->finish();
  write_file_atomic(files.folds, folds);
  return files;
}

}  // namespace daf
