#include "daf/import/csd_import.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/data/cache_io.h"
#include "daf/import/csd_file.h"
#include "daf/import/segment_alignment.h"
#include "daf/import/video_folds.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/paths.h"
#include "daf/util/file_lock.h"
#include "daf/util/progress.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

struct Modality {
  std::string name;
  CsdFile file;
};

std::vector<Modality> open_modalities(const std::vector<std::string>& specs) {
  std::vector<Modality> out;
  std::set<std::string> names;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
      throw InputError("import.features: expected modality=path.csd, found '" + spec + "'");
    const std::string name = spec.substr(0, eq);
    if (!names.insert(name).second) throw InputError("import.features: modality '" + name + "' is given twice");
    out.push_back({name, CsdFile::open(spec.substr(eq + 1))});
  }
  if (out.empty()) throw InputError("import.features: expected at least one modality=path.csd");
  return out;
}

// Replaces (or rejects) NaN/Inf in a video's features; returns how many were replaced.
int64_t clean_nonfinite(CsdVideo& video, const Modality& modality, const std::string& video_id, bool replace) {
  int64_t replaced = 0;
  for (int64_t i = 0; i < video.features.rows; ++i) {
    float* row = video.features.row(i);
    for (int64_t j = 0; j < video.features.cols; ++j) {
      if (std::isfinite(row[j])) continue;
      if (!replace)
        throw InputError(modality.file.path() + ": video '" + video_id + "': features row " + std::to_string(i) +
                         " column " + std::to_string(j) + ": non-finite value (set import.nonfinite=zero)");
      row[j] = 0.0f;
      ++replaced;
    }
  }
  return replaced;
}

class Importer {
 public:
  Importer(const ImportConfig& config)
      : config_(config), labels_(CsdFile::open(config.labels)), modalities_(open_modalities(config.features)) {
    if (!config.words.empty()) words_ = std::make_unique<CsdFile>(CsdFile::open(config.words));
    for (const auto& m : modalities_) {
      cache_.modality_attributes[m.name] = {{"encoder", m.file.sequence()},
                                            {"pooling", "mean over frames overlapping the segment"},
                                            {"source", m.file.path()}};
      widths_[m.name] = -1;
    }
  }

  ImportReport run() {
    const auto start = std::chrono::steady_clock::now();
    const auto lock = lock_output_file(config_.output);
    const auto folds = read_video_folds(config_.folds);
    std::set<std::string> in_folds;
    long total = 0;
    for (const auto& [split, videos] : folds) {
      in_folds.insert(videos.begin(), videos.end());
      total += static_cast<long>(videos.size());
    }
    for (const auto& video : labels_.videos())
      if (!in_folds.count(video)) ++report_.labelled_videos_outside_folds;
    ProgressBar progress("import", total);
    long done = 0;
    for (const auto& split : cache_split_names()) {
      SplitData& data = cache_.splits[split];
      for (const auto& video : folds.at(split)) {
        import_video(video, data);
        progress.update(++done);
      }
      report_.segments[split] = data.size();
    }
    progress.finish();
    fill_masks();
    write_cache(config_.output, cache_);
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report_;
  }

 private:
  void import_video(const std::string& video, SplitData& data) {
    if (!labels_.has_video(video)) {
      const bool anywhere = std::any_of(modalities_.begin(), modalities_.end(),
                                        [&](const Modality& m) { return m.file.has_video(video); });
      if (anywhere)
        ++report_.unlabelled_fold_videos;
      else
        report_.fold_videos_absent.push_back(video);
      return;
    }
    ++report_.videos;
    const CsdVideo labels = labels_.read_numeric(video);
    if (labels.features.cols != static_cast<int64_t>(config_.label_columns.size()))
      throw InputError(labels_.path() + ": video '" + video + "': labels have " + std::to_string(labels.features.cols) +
                       " columns but import.label_columns names " + std::to_string(config_.label_columns.size()));
    // Labelled segments keep their row number k (the SDK's "video[k]"), so
    // bad ones are skipped here rather than removed.
    const auto bad_segments = checked_bad_intervals(labels, labels_.path(), video, "segment");
    std::map<std::string, CsdVideo> streams;
    for (auto& m : modalities_) {
      if (!m.file.has_video(video)) continue;
      CsdVideo stream = m.file.read_numeric(video);
      check_width(m, video, stream.features.cols);
      report_.nonfinite_replaced[m.name] += clean_nonfinite(stream, m, video, config_.nonfinite == "zero");
      report_.frames += stream.rows();
      prepare_stream(stream, m.file.path(), video);
      streams.emplace(m.name, std::move(stream));
    }
    CsdVideo words;
    if (words_ && words_->has_video(video)) {
      words = words_->read_words(video);
      prepare_stream(words, words_->path(), video);
    }
    size_t next_bad = 0;
    for (int64_t k = 0; k < labels.rows(); ++k) {
      if (next_bad < bad_segments.size() && bad_segments[next_bad] == k) {
        ++next_bad;
        continue;
      }
      add_segment(video, k, labels, streams, words, data);
    }
  }

  // Rows with NaN/Inf bounds or end < start: an error naming the row, or
  // (import.bad_intervals: skip) counted per file and left out.
  std::vector<int64_t> checked_bad_intervals(const CsdVideo& stream, const std::string& path, const std::string& video,
                                             const char* what) {
    auto bad = bad_interval_rows(stream);
    if (bad.empty()) return bad;
    if (config_.bad_intervals != "skip") {
      const auto i = static_cast<size_t>(bad.front());
      char bounds[96];
      std::snprintf(bounds, sizeof bounds, "[%.17g, %.17g]", stream.starts[i], stream.ends[i]);
      const bool finite = std::isfinite(stream.starts[i]) && std::isfinite(stream.ends[i]);
      throw InputError(path + ": video '" + video + "': intervals row " + std::to_string(i) + " (" + what + "): " +
                       bounds + (finite ? " ends before it starts" : " has a NaN or infinite bound") +
                       " (import.bad_intervals=skip leaves such rows out and counts them)");
    }
    report_.bad_intervals[path] += static_cast<int64_t>(bad.size());
    return bad;
  }

  void prepare_stream(CsdVideo& stream, const std::string& path, const std::string& video) {
    remove_rows(stream, checked_bad_intervals(stream, path, video, "row"));
    sort_rows_by_start(stream);
  }

  void check_width(const Modality& m, const std::string& video, int64_t cols) {
    int64_t& width = widths_[m.name];
    if (width < 0) width = cols;
    if (cols != width)
      throw InputError(m.file.path() + ": video '" + video + "': features have " + std::to_string(cols) +
                       " columns, earlier videos have " + std::to_string(width));
  }

  void add_segment(const std::string& video, int64_t k, const CsdVideo& labels,
                   const std::map<std::string, CsdVideo>& streams, const CsdVideo& words, SplitData& data) {
    const double start = labels.starts[static_cast<size_t>(k)], end = labels.ends[static_cast<size_t>(k)];
    if (is_zero_length_segment(start, end)) {  // the SDK gives such a segment no key at all
      ++report_.zero_length_segments;
      return;
    }
    const float* label_row = labels.features.row(k);
    for (size_t c = 0; c < config_.label_columns.size(); ++c)
      if (!std::isfinite(label_row[c]))
        throw InputError(labels_.path() + ": video '" + video + "' segment " + std::to_string(k) + " (" + video + "[" +
                         std::to_string(k) + "]): label column '" + config_.label_columns[c] +
                         "': expected a finite value, found " + (std::isnan(label_row[c]) ? "NaN" : "infinity"));
    std::map<std::string, std::vector<float>> vectors;
    std::map<std::string, bool> present;
    std::map<std::string, int64_t> marginal;
    for (const auto& m : modalities_) {
      const auto stream = streams.find(m.name);
      std::vector<float> vector(static_cast<size_t>(std::max<int64_t>(widths_[m.name], 0)), 0.0f);
      bool found = false;
      if (stream == streams.end()) {
        ++report_.missing_video[m.name];
      } else {
        const SegmentRows rows = average_segment(stream->second, start, end, vector.data());
        marginal[m.name] = rows.marginal;
        found = !rows.used.empty();
        if (!found) ++report_.no_frames[m.name];
      }
      if (!found && config_.missing == "drop") {
        ++report_.dropped_segments;
        return;
      }
      if (!found) ++report_.masked[m.name];
      vectors[m.name] = std::move(vector);
      present[m.name] = found;
    }
    for (const auto& [name, rows] : marginal) report_.marginal_rows[name] += rows;
    data.ids.push_back(video + "[" + std::to_string(k) + "]");
    data.meta["video"].push_back(video);
    for (size_t c = 0; c < config_.label_columns.size(); ++c)
      data.labels[config_.label_columns[c]].push_back(label_row[c]);
    for (auto& [name, vector] : vectors) {
      pending_[&data][name].push_back(std::move(vector));
      data.present[name].push_back(present[name] ? 1 : 0);
    }
    const std::string transcript = words.rows() ? words_in(words, start, end) : "";
    if (words_ && transcript.empty()) ++report_.empty_transcripts;
    if (words_) data.transcripts.push_back(transcript);
  }

  // Rows were collected per modality; widths are only known once a video had
  // the modality, so the matrices are assembled at the end.
  void fill_masks() {
    // A split without segments still gets every column, so the cache stays consistent.
    for (auto& [split, data] : cache_.splits) {
      for (const auto& m : modalities_) pending_[&data][m.name];
      for (const auto& column : config_.label_columns) data.labels[column];
    }
    for (auto& [data, by_modality] : pending_)
      for (auto& [name, rows] : by_modality) {
        const int64_t width = std::max<int64_t>(widths_[name], 1);
        FeatureMatrix matrix(static_cast<int64_t>(rows.size()), width);
        for (size_t i = 0; i < rows.size(); ++i)
          if (!rows[i].empty()) std::copy(rows[i].begin(), rows[i].end(), matrix.row(static_cast<int64_t>(i)));
        data->features[name] = std::move(matrix);
      }
    for (auto& [split, data] : cache_.splits)
      for (auto it = data.present.begin(); it != data.present.end();)
        if (std::all_of(it->second.begin(), it->second.end(), [](uint8_t p) { return p == 1; }))
          it = data.present.erase(it);  // nothing missing: the mask is implied
        else
          ++it;
  }

  const ImportConfig& config_;
  CsdFile labels_;
  std::vector<Modality> modalities_;
  std::unique_ptr<CsdFile> words_;
  std::map<std::string, int64_t> widths_;
  std::map<SplitData*, std::map<std::string, std::vector<std::vector<float>>>> pending_;
  EmbeddingCache cache_;
  ImportReport report_;
};

std::string per_modality(const std::map<std::string, int64_t>& counts) {
  std::vector<std::string> parts;
  for (const auto& [name, count] : counts)
    if (count > 0) parts.push_back(name + " " + std::to_string(count));
  return parts.empty() ? "none" : join(parts, ", ");
}

}  // namespace

void declare_import_options(OptionSet& o, ImportConfig& c) {
  o.add("import.labels", c.labels, "", "labels computational sequence, e.g. CMU_MOSEI_Labels.csd");
  o.add("import.features", c.features, {},
        "feature sequences as modality=path.csd, e.g. [audio=CMU_MOSEI_COVAREP.csd, video=CMU_MOSEI_VisualFacet42.csd]");
  o.add("import.words", c.words, "", "optional word sequence (TimestampedWords) for transcripts");
  o.add("import.folds", c.folds, "", "YAML/JSON file {train: [video ids], valid: [...], test: [...]} "
                                     "(configs/folds/cmu-mosei.yaml and cmu-mosi.yaml are the SDK's standard folds)");
  o.add("import.output", c.output, "", "embedding cache to write (atomically)");
  o.add("import.label_columns", c.label_columns,
        {"sentiment", "happiness", "sadness", "anger", "surprise", "disgust", "fear"},
        "names of the label file's columns, in order (MOSEI: sentiment then six emotions)");
  o.add("import.nonfinite", c.nonfinite, "zero", "NaN/Inf in features (COVAREP has them): replace by 0 and count, "
        "or fail", {"zero", "error"});
  o.add("import.bad_intervals", c.bad_intervals, "error",
        "an interval with a NaN/Inf bound or end < start (labels, features or words): fail naming the file, video "
        "and row, or leave the row (a labelled segment: the segment) out and count it per file",
        {"error", "skip"});
  o.add("import.missing", c.missing, "drop",
        "a segment whose video a feature file lacks, or that no feature row overlaps by more than 1e-5: drop the "
        "segment (the segment set of the SDK's align() + hard_unify()), or keep it with that modality masked "
        "(present/<modality> = 0)",
        {"drop", "mask"});
}

ImportConfig load_import_config(const std::string& file, const std::vector<std::string>& overrides) {
  ImportConfig config;
  OptionSet options;
  declare_import_options(options, config);
  apply_config_sources(options, file, overrides);
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"import.labels", &config.labels},
                                   {"import.folds", &config.folds}, {"import.output", &config.output}})
    if (value->empty()) throw InputError(std::string("key '") + key + "' is not set");
  std::vector<std::string> inputs = {config.labels, config.words, config.folds};
  for (const auto& feature : config.features) inputs.push_back(feature.substr(feature.find('=') + 1));
  refuse_output_over_inputs(config.output, inputs, "import.output");
  return config;
}

std::string ImportReport::text() const {
  std::string out = "imported " + std::to_string(videos) + " videos: ";
  std::vector<std::string> splits;
  for (const auto& [split, n] : segments) splits.push_back(split + " " + std::to_string(n));
  out += join(splits, ", ") + " segments\n";
  out += "  non-finite feature values replaced by 0: " + per_modality(nonfinite_replaced) + "\n";
  out += "  segments whose video a feature file lacks: " + per_modality(missing_video) + "\n";
  out += "  segments with no overlapping feature rows: " + per_modality(no_frames) + "\n";
  out += "  segments kept with a modality masked: " + per_modality(masked) + "\n";
  out += "  segments dropped: " + std::to_string(dropped_segments) + "\n";
  out += "  zero-length segments dropped: " + std::to_string(zero_length_segments) + "\n";
  out += "  feature rows at a segment boundary not used (touching, or overlapping by <= 1e-5): " +
         per_modality(marginal_rows) + "\n";
  out += "  intervals with NaN/Inf bounds or end < start left out: " + per_modality(bad_intervals) + "\n";
  out += "  segments with an empty transcript: " + std::to_string(empty_transcripts) + "\n";
  // A subset of a dataset leaves thousands of fold videos absent: name the first ten.
  const size_t named = std::min<size_t>(fold_videos_absent.size(), 10);
  out += "  fold videos in no file: " + std::to_string(fold_videos_absent.size());
  if (named > 0)
    out += " (" + join(std::vector<std::string>(fold_videos_absent.begin(), fold_videos_absent.begin() + named), ", ") +
           (named < fold_videos_absent.size() ? ", and " + std::to_string(fold_videos_absent.size() - named) + " more"
                                              : "") +
           ")";
  out += "\n";
  out += "  fold videos without labels: " + std::to_string(unlabelled_fold_videos) + "\n";
  out += "  labelled videos in no fold: " + std::to_string(labelled_videos_outside_folds) + "\n";
  char speed[160];
  std::snprintf(speed, sizeof speed, "  %.1f s: %.0f videos/s, %.0f feature rows/s", seconds,
                seconds > 0 ? videos / seconds : 0.0, seconds > 0 ? frames / seconds : 0.0);
  return out + speed;
}

ImportReport import_csd(const ImportConfig& config) { return Importer(config).run(); }

}  // namespace daf
