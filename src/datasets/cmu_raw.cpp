#include "daf/datasets/cmu_raw.h"

#include <cmath>
#include <filesystem>
#include <map>

#include "daf/import/csd_file.h"
#include "daf/import/video_folds.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "dataset_files.h"

namespace daf {
namespace {

namespace fs = std::filesystem;

// Label intervals and transcript times agree to the millisecond in the SDK's
// files; a looser match could take a neighbouring segment's label.
constexpr double kIntervalTolerance = 1e-3;

struct Context {
  fs::path root;
  CsdFile labels;
  std::map<std::string, std::string> split_of;  // video -> train / valid / test
  DatasetManifest out;
};

Context open_context(const std::string& root, const CmuRawOptions& options, const std::string& dataset) {
  if (!fs::is_directory(fs::path(root) / "Raw"))
    throw InputError(dataset + " root " + root + ": expected the folder holding Raw/ (Raw/Audio, " +
                     "Raw/Transcript), found no Raw/ in it");
  if (options.labels.empty())
    throw InputError(dataset + ".labels: expected the SDK's label sequence (.csd), found nothing");
  if (options.folds.empty())
    throw InputError(dataset + ".folds: expected a folds file (configs/folds/cmu-" + dataset + ".yaml), found nothing");
  Context c{fs::path(root), CsdFile::open(options.labels), {}, {}};
  for (const auto& [split, videos] : read_video_folds(options.folds))
    for (const auto& video : videos) c.split_of[video] = split;
  c.out.dataset = dataset;
  c.out.meta_columns = {"video"};
  c.out.inputs = {options.labels, options.folds};
  return c;
}

// The labels of a transcript file's video (`labelled` false when the labels
// file lacks it); the file becomes one of the manifest's inputs.
CsdVideo video_labels(Context& c, const fs::path& file, const std::string& video, bool& labelled) {
  c.out.inputs.push_back(file.string());
  labelled = c.labels.has_video(video);
  return labelled ? c.labels.read_numeric(video) : CsdVideo{};
}

// A label row as text, or nothing with `problem` saying why.
std::vector<std::string> label_row(const CsdVideo& video, int64_t row, std::string& problem) {
  std::vector<std::string> labels;
  for (int64_t col = 0; col < video.features.cols; ++col) {
    const float value = video.features.row(row)[col];
    if (!std::isfinite(value)) {
      problem = "label column " + std::to_string(col) + " is not a finite number";
      return {};
    }
    labels.push_back(format_float(value));
  }
  return labels;
}

// Adds the segment that row `index` of the video's labels labels: its id is
// daf-import's, its split the video's fold. Skipped (and listed) when the
// label is not finite, the audio file is missing or the video is in no fold.
void add_segment(Context& c, DatasetRow row, const CsdVideo& labels, int64_t index, const fs::path& wav,
                 const std::string& video, const std::string& where) {
  row.id = video + "[" + std::to_string(index) + "]";
  std::string problem;
  row.labels = label_row(labels, index, problem);
  if (!problem.empty()) {
    c.out.skipped.push_back({where, row.id, "unreadable label", problem});
    return;
  }
  if (!fs::is_regular_file(wav)) {
    c.out.skipped.push_back({where, row.id, "no audio file", wav.string() + " not found"});
    return;
  }
  const auto split = c.split_of.find(video);
  if (split == c.split_of.end()) {
    c.out.skipped.push_back({where, row.id, "video in no fold", "the folds file does not list video '" + video + "'"});
    return;
  }
  row.split = split->second;
  row.audio = absolute_path(wav);
  row.meta = {video};
  c.out.rows.push_back(std::move(row));
}

}  // namespace

DatasetManifest read_mosi(const std::string& root, const CmuRawOptions& options) {
  Context c = open_context(root, options, "mosi");
  c.out.label_columns = {"sentiment"};
  const fs::path transcripts = c.root / "Raw" / "Transcript" / "Segmented";
  const fs::path audio = c.root / "Raw" / "Audio" / "WAV_16000" / "Segmented";
  for (const auto& file : sorted_files(transcripts, ".annotprocessed")) {
    const std::string video = file.stem().string();
    bool labelled = false;
    const CsdVideo labels = video_labels(c, file, video, labelled);
    const std::vector<std::string> lines = read_lines(file.string());
    for (size_t i = 0; i < lines.size(); ++i) {
      if (trim(lines[i]).empty()) continue;
      const std::string where = file.string() + ":" + std::to_string(i + 1);
      const size_t delim = lines[i].find("_DELIM_");
      const std::string n = lines[i].substr(0, delim == std::string::npos ? 0 : delim);
      double number = 0;
      if (delim == std::string::npos || !parse_number(n, number) || number < 1 || number != std::floor(number)) {
        c.out.skipped.push_back({where, "", "unreadable transcript line",
                                 "expected '<segment number>_DELIM_<text>', found '" + lines[i] + "'"});
        continue;
      }
      const auto row_index = static_cast<int64_t>(number) - 1;
      if (!labelled || row_index >= labels.rows()) {
        c.out.skipped.push_back({where, video + "[" + std::to_string(row_index) + "]", "no label",
                                 labelled ? "the labels file has " + std::to_string(labels.rows()) + " segments of '" +
                                                video + "'"
                                          : "the labels file has no video '" + video + "'"});
        continue;
      }
      DatasetRow row;
      row.text = trim(lines[i].substr(delim + 7));
      add_segment(c, std::move(row), labels, row_index, audio / (video + "_" + trim(n) + ".wav"), video, where);
    }
  }
  return std::move(c.out);
}

DatasetManifest read_mosei(const std::string& root, const CmuRawOptions& options) {
  Context c = open_context(root, options, "mosei");
  // The SDK's order and daf-import's names.
  c.out.label_columns = {"sentiment", "happiness", "sadness", "anger", "surprise", "disgust", "fear"};
  const fs::path transcripts = c.root / "Raw" / "Transcript" / "Segmented" / "Combined";
  const fs::path audio = c.root / "Raw" / "Audio" / "Full" / "WAV_16000";
  for (const auto& file : sorted_files(transcripts, ".txt")) {
    const std::string video = file.stem().string();
    bool labelled = false;
    const CsdVideo labels = video_labels(c, file, video, labelled);
    if (labelled && labels.features.cols != 7)
      throw InputError(options.labels + ": video '" + video + "': expected 7 label columns (sentiment and six " +
                       "emotions), found " + std::to_string(labels.features.cols));
    const fs::path wav = audio / (video + ".wav");
    const std::vector<std::string> lines = read_lines(file.string());
    for (size_t i = 0; i < lines.size(); ++i) {
      if (trim(lines[i]).empty()) continue;
      const std::string where = file.string() + ":" + std::to_string(i + 1);
      // At most four separators: the text may contain "___" itself.
      std::vector<std::string> fields;
      size_t from = 0;
      for (int k = 0; k < 4; ++k) {
        const size_t at = lines[i].find("___", from);
        if (at == std::string::npos) break;
        fields.push_back(lines[i].substr(from, at - from));
        from = at + 3;
      }
      fields.push_back(lines[i].substr(from));
      double start = 0, end = 0;
      if (fields.size() != 5 || !parse_number(fields[2], start) || !parse_number(fields[3], end) || end <= start) {
        c.out.skipped.push_back({where, "", "unreadable transcript line",
                                 "expected '<video>___<clip>___<start>___<end>___<text>', found '" + lines[i] + "'"});
        continue;
      }
      int64_t match = -1;
      for (int64_t r = 0; labelled && r < labels.rows(); ++r)
        if (std::fabs(labels.starts[static_cast<size_t>(r)] - start) <= kIntervalTolerance &&
            std::fabs(labels.ends[static_cast<size_t>(r)] - end) <= kIntervalTolerance)
          match = r;
      const std::string clip_id = video + "___" + trim(fields[1]);
      if (match < 0) {
        c.out.skipped.push_back({where, clip_id, "no label",
                                 labelled ? "no label interval of '" + video + "' is [" + trim(fields[2]) + ", " +
                                                trim(fields[3]) + "]"
                                          : "the labels file has no video '" + video + "'"});
        continue;
      }
      DatasetRow row;
      row.text = trim(fields[4]);
      row.start = format_number(std::max(0.0, start));  // a few segments start before the recording
      row.end = format_number(end);
      add_segment(c, std::move(row), labels, match, wav, video, where);
    }
  }
  return std::move(c.out);
}

}  // namespace daf
