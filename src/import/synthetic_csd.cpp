#include "daf/import/synthetic_csd.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <random>

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/data/synthetic.h"
#include "daf/import/video_folds.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
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
  void words(const std::string& id, const std::vector<double>& intervals, const std::vector<std::string>& words) {
    const std::string group = root + "/data/" + id;
    file.create_group(group);
    file.write_word_column(group + "/features", words);
    file.write_doubles(group + "/intervals", {static_cast<int64_t>(words.size()), 2}, intervals.data());
  }
  int64_t finish() {
    file.close();
    const auto bytes = static_cast<int64_t>(std::filesystem::file_size(output.temp_path()));
    output.commit();
    return bytes;
  }
};

// One labelled segment: its time span and the row of the daf-synth split that gives its signal.
struct Segment {
  double start = 0, end = 0;
  std::string split;
  int64_t row = 0;
};

struct Video {
  std::string id, split;
  std::vector<Segment> segments;
  double duration = 0;
};

// Video ids and their splits: vid0.. split 70/10/20 (plus "ghost", in the folds but in no
// file), or the first videos of each fold of a real folds file, in proportion to its size.
std::vector<Video> name_videos(const SyntheticCsdSpec& spec, std::string& folds_yaml) {
  std::vector<Video> videos;
  const auto n = static_cast<size_t>(spec.videos);
  if (spec.folds.empty()) {
    const size_t train_end = n * 7 / 10, valid_end = std::max(train_end + 1, n * 8 / 10);
    std::map<std::string, std::string> lists;
    for (size_t i = 0; i < n; ++i) {
      const std::string split = i < train_end ? "train" : i < valid_end ? "valid" : "test";
      videos.push_back({"vid" + std::to_string(i), split, {}, 0});
      lists[split] += (lists[split].empty() ? "" : ", ") + videos.back().id;
    }
    folds_yaml = "train: [" + lists["train"] + "]\nvalid: [" + lists["valid"] + "]\ntest: [" + lists["test"] + ", ghost]\n";
    return videos;
  }
  const auto folds = read_video_folds(spec.folds);
  size_t total = 0;
  for (const auto& [split, ids] : folds) total += ids.size();
  size_t taken = 0;
  for (const std::string split : {"train", "valid", "test"}) {
    const auto& ids = folds.at(split);
    size_t want = split == "test" ? n - taken
                                  : std::max<size_t>(1, static_cast<size_t>(std::lround(double(n) * ids.size() / total)));
    if (want > ids.size())
      throw InputError("csd.folds: " + spec.folds + " has " + std::to_string(ids.size()) + " videos in '" + split +
                       "', " + std::to_string(want) + " wanted for csd.videos=" + std::to_string(n));
    for (size_t i = 0; i < want; ++i) videos.push_back({ids[i], split, {}, 0});
    taken += want;
  }
  return videos;
}

// Frames at `rate` per second over [0, end): inside a segment, that segment's features plus N(0, 1)
// frame noise (the SDK's mean over the segment's frames recovers them); between segments, noise.
void frames(const Video& video, double end, double rate, const std::string& modality, const EmbeddingCache& cache,
            std::mt19937_64& rng, std::vector<double>& intervals, std::vector<double>& features) {
  std::normal_distribution<double> normal(0.0, 1.0);
  const int64_t dim = cache.splits.at("train").features.at(modality).cols;
  const auto count = static_cast<int64_t>(end * rate);
  intervals.resize(static_cast<size_t>(2 * count));
  features.resize(static_cast<size_t>(count * dim));
  size_t s = 0;
  for (int64_t t = 0; t < count; ++t) {
    const double middle = (t + 0.5) / rate;
    while (s < video.segments.size() && video.segments[s].end <= middle) ++s;
    const Segment* segment = s < video.segments.size() && video.segments[s].start <= middle ? &video.segments[s] : nullptr;
    const float* signal =
        segment ? cache.splits.at(segment->split).features.at(modality).row(segment->row) : nullptr;
    intervals[static_cast<size_t>(2 * t)] = t / rate;
    intervals[static_cast<size_t>(2 * t + 1)] = (t + 1) / rate;
    for (int64_t d = 0; d < dim; ++d)
      features[static_cast<size_t>(t * dim + d)] = (signal ? signal[d] : 0.0) + normal(rng);
  }
}

// Words: sentiment-bearing ones in proportion to the segment's |sentiment|, of its sign (of a
// random sign where the text view is the wrong one), else neutral ones.
const std::vector<std::string> kPositive = {"great", "love", "amazing", "good", "enjoyed", "best", "wonderful", "liked"};
const std::vector<std::string> kNegative = {"bad", "hate", "awful", "boring", "worst", "terrible", "disappointing", "poor"};
const std::vector<std::string> kNeutral = {"i", "the", "movie", "this", "it", "was", "really", "and", "but", "so",
                                           "think", "about"};

std::string draw_word(double sentiment, bool wrong_view, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto pick = [&](const std::vector<std::string>& list) { return list[static_cast<size_t>(rng() % list.size())]; };
  if (uniform(rng) >= 0.15 + std::abs(sentiment) / 4) return pick(kNeutral);
  const bool positive = wrong_view ? uniform(rng) < 0.5 : sentiment > 0;
  return pick(positive ? kPositive : kNegative);
}

}  // namespace

void declare_synthetic_csd_options(OptionSet& o, SyntheticCsdSpec& s) {
  o.add("csd.videos", s.videos, 12, "videos to write (MOSEI has 3,227; at least 6)", Range::at_least(6));
  o.add("csd.segments_per_video", s.segments_per_video, 7.0, "mean labelled segments per video (MOSEI: 7)",
        Range::at_least(1));
  o.add("csd.segment_seconds", s.segment_seconds, 8.0, "mean segment length in seconds", Range::at_least(1));
  o.add("csd.seed", s.seed, 3, "random seed", Range::at_least(0));
  o.add("csd.folds", s.folds, "",
        "a folds file whose video ids to use, e.g. configs/folds/cmu-mosei.yaml (then import.folds can stay that "
        "file); empty: vid0, vid1, ... and a folds.yaml beside the .csd files");
}

SyntheticCsdSpec load_synthetic_csd_spec(const std::vector<std::string>& overrides) {
  SyntheticCsdSpec spec;
  OptionSet options;
  declare_synthetic_csd_options(options, spec);
  apply_config_sources(options, "", overrides);
  return spec;
}

SyntheticCsdFiles write_synthetic_csd(const std::string& dir, const SyntheticCsdSpec& spec) {
  std::string folds_yaml;
  std::vector<Video> videos = name_videos(spec, folds_yaml);

  // The timeline: segments of 0.5 s + Exp(mean segment_seconds - 0.5), 0.25 s apart.
  std::mt19937_64 rng(static_cast<uint64_t>(spec.seed));
  std::poisson_distribution<int> segment_count(spec.segments_per_video - 1);
  std::exponential_distribution<double> segment_length(1.0 / std::max(spec.segment_seconds - 0.5, 0.01));
  std::map<std::string, int64_t> rows;  // per split
  for (size_t v = 0; v < videos.size(); ++v) {
    const int count = 1 + segment_count(rng);
    double t = 0.5;
    for (int s = 0; s < count; ++s) {
      const double length = (v == 1 && s == 0) ? 0.0 : 0.5 + segment_length(rng);  // vid1 starts with a zero-length segment
      videos[v].segments.push_back({t, t + length, videos[v].split, rows[videos[v].split]++});
      t += length + 0.25;
    }
    videos[v].duration = t + 0.5;
  }

  // The signal: one daf-synth utterance per segment, at the SDK's widths, with MOSEI's six emotions.
  const SynthConfig synth = load_synth_config(
      "", "",
      {"synth.seed=" + std::to_string(spec.seed), "synth.train_size=" + std::to_string(rows["train"]),
       "synth.valid_size=" + std::to_string(rows["valid"]), "synth.test_size=" + std::to_string(rows["test"]),
       "synth.text_dim=300", "synth.audio_dim=74", "synth.video_dim=35", "synth.emotions=multilabel"});
  const EmbeddingCache cache = generate_synthetic_cache(synth);

  std::filesystem::create_directories(dir);
  SyntheticCsdFiles files{dir + "/CMU_MOSEI_Labels.csd",
                          dir + "/CMU_MOSEI_COVAREP.csd",
                          dir + "/CMU_MOSEI_VisualFacet42.csd",
                          dir + "/CMU_MOSEI_TimestampedWordVectors.csd",
                          dir + "/CMU_MOSEI_TimestampedWords.csd",
                          spec.folds.empty() ? dir + "/folds.yaml" : spec.folds,
                          0,
                          0};
  Writer labels(files.labels, "All Labels"), covarep(files.covarep, "COVAREP"), facet(files.facet, "FACET 4.2"),
      vectors(files.word_vectors, "glove_vectors"), words(files.words, "words");

  // GloVe-like: each word has a fixed vector of its own.
  std::normal_distribution<double> normal(0.0, 1.0);
  std::map<std::string, std::vector<double>> glove;
  for (const auto* list : {&kPositive, &kNegative, &kNeutral})
    for (const auto& word : *list)
      for (int d = 0; d < 300; ++d) glove[word].push_back(0.3 * normal(rng));

  std::vector<double> intervals, features;
  for (size_t v = 0; v < videos.size(); ++v) {
    const Video& video = videos[v];
    std::vector<double> label_intervals, label_values;
    for (const auto& segment : video.segments) {
      const SplitData& data = cache.splits.at(segment.split);
      label_intervals.insert(label_intervals.end(), {segment.start, segment.end});
      label_values.push_back(data.labels.at("sentiment")[static_cast<size_t>(segment.row)]);
      for (const auto& emotion : synth_emotion_labels())
        label_values.push_back(data.labels.at(emotion)[static_cast<size_t>(segment.row)]);
    }
    files.segments += static_cast<int64_t>(video.segments.size());
    labels.video(video.id, label_intervals, label_values, 7);

    frames(video, video.duration, 100.0, "audio", cache, rng, intervals, features);
    if (v == 2) {  // COVAREP's -inf and NaN
      features[5] = -std::numeric_limits<double>::infinity();
      features[80] = std::numeric_limits<double>::quiet_NaN();
    }
    covarep.video(video.id, intervals, features, 74);
    if (v != 3) {  // FACET lacks the fourth video
      // The fifth video's FACET stream ends early: its last segment has no overlapping frames.
      frames(video, v == 4 ? video.segments.back().start - 0.1 : video.duration, 30.0, "video", cache, rng, intervals,
             features);
      facet.video(video.id, intervals, features, 35);
    }

    // About 2.5 words per second inside segments, "sp" (a zero vector) in the silences between them.
    std::vector<std::string> spoken;
    std::vector<double> word_intervals, word_vectors;
    double t = 0;
    auto say = [&](const std::string& word, double start, double end, const float* text) {
      spoken.push_back(word);
      word_intervals.insert(word_intervals.end(), {start, end});
      for (int d = 0; d < 300; ++d)
        word_vectors.push_back(word == "sp" ? 0.0 : text[d] + glove.at(word)[static_cast<size_t>(d)] + 0.5 * normal(rng));
    };
    for (const auto& segment : video.segments) {
      if (segment.end - segment.start < 1e-5) continue;
      const SplitData& data = cache.splits.at(segment.split);
      const float* text = data.features.at("text").row(segment.row);
      const double sentiment = data.labels.at("sentiment")[static_cast<size_t>(segment.row)];
      const bool wrong = data.labels.at("noisy_text")[static_cast<size_t>(segment.row)] > 0.5;
      if (segment.start > t) say("sp", t, segment.start, nullptr);
      const int count = std::max(1, static_cast<int>(std::lround((segment.end - segment.start) * 2.5)));
      const double step = (segment.end - segment.start) / count;
      for (int w = 0; w < count; ++w)
        say(draw_word(sentiment, wrong, rng), segment.start + w * step,
            w + 1 == count ? segment.end : segment.start + (w + 1) * step, text);
      t = segment.end;
    }
    say("sp", t, video.duration, nullptr);
    vectors.video(video.id, word_intervals, word_vectors, 300);
    words.words(video.id, word_intervals, spoken);
  }
  for (auto* w : {&labels, &covarep, &facet, &vectors, &words}) files.bytes += w->finish();
  if (spec.folds.empty()) write_file_atomic(files.folds, folds_yaml);
  return files;
}

}  // namespace daf
