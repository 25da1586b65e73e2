#include "daf/datasets/sims.h"

#include <cmath>
#include <filesystem>
#include <set>

#include "daf/util/csv.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "dataset_files.h"

namespace daf {
namespace {

namespace fs = std::filesystem;

// label.csv (v1) or meta.csv (v2), whichever the root holds (v2's when both).
fs::path find_label_file(const std::string& root) {
  const fs::path path(root);
  if (!fs::is_directory(path)) throw InputError("CH-SIMS root " + root + ": not a directory");
  for (const char* name : {"meta.csv", "label.csv"})
    if (fs::is_regular_file(path / name)) return path / name;
  throw InputError("CH-SIMS root " + root +
                   ": expected label.csv (CH-SIMS) or meta.csv (CH-SIMS v2) and the folder Raw/ in it, found neither "
                   "file");
}

std::string daf_split(const std::string& mode) {
  if (mode == "train") return "train";
  if (mode == "valid" || mode == "val" || mode == "dev") return "valid";
  if (mode == "test") return "test";
  return "";
}

// A label in [-1, 1], or "" with `problem` set.
std::string sentiment(const std::string& text, const std::string& column, std::string& problem) {
  double value = 0;
  if (!parse_number(text, value) || value < -1 || value > 1) {
    problem = column + ": expected a number in [-1, 1], found '" + text + "'";
    return "";
  }
  return trim(text);
}

}  // namespace

DatasetManifest read_sims(const std::string& root) {
  DatasetManifest out;
  out.dataset = "sims";
  out.label_columns = {"sentiment", "sentiment_text", "sentiment_audio", "sentiment_video"};
  out.meta_columns = {"speaker", "video", "annotation"};
  const fs::path label_file = find_label_file(root);
  const fs::path raw = label_file.parent_path() / "Raw";
  out.inputs.push_back(label_file.string());
  // Read as text: the ids are zero-padded ("0001"), which a number would lose.
  const CsvTable table = read_csv(label_file.string());
  const std::string source = label_file.string();
  const size_t video_col = table.column("video_id", source), clip_col = table.column("clip_id", source),
               text_col = table.column("text", source), mode_col = table.column("mode", source),
               annotation_col = table.column("annotation", source);
  const size_t label_cols[4] = {table.column("label", source), table.column("label_T", source),
                                table.column("label_A", source), table.column("label_V", source)};
  std::set<std::string> ids;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& cells = table.rows[r];
    const std::string where = source + ":" + std::to_string(table.lines[r]);
    const std::string video = trim(cells[video_col]), clip = trim(cells[clip_col]);
    if (video.empty() || clip.empty() || video.find('/') != std::string::npos || clip.find('/') != std::string::npos) {
      out.skipped.push_back({where, "", "unreadable ids", "expected a video_id and a clip_id without '/', found '" +
                                                              video + "' and '" + clip + "'"});
      continue;
    }
    const std::string id = video + "$_$" + clip;  // MMSA's id, so caches and MMSA's pickles agree
    const std::string split = daf_split(trim(cells[mode_col]));
    if (split.empty()) {
      out.skipped.push_back({where, id, "unknown split", "mode: expected train, valid or test, found '" +
                                                             trim(cells[mode_col]) + "'"});
      continue;
    }
    std::string problem;
    std::vector<std::string> labels;
    for (size_t k = 0; k < 4 && problem.empty(); ++k)
      labels.push_back(sentiment(cells[label_cols[k]], table.header[label_cols[k]], problem));
    if (!problem.empty()) {
      out.skipped.push_back({where, id, "unreadable label", problem});
      continue;
    }
    if (!ids.insert(id).second) {
      out.skipped.push_back({where, id, "repeated clip", "an earlier row has the same video_id and clip_id"});
      continue;
    }
    const fs::path mp4 = raw / video / (clip + ".mp4");
    if (!fs::is_regular_file(mp4)) {
      out.skipped.push_back({where, id, "no video file", mp4.string() + " not found"});
      continue;
    }
    DatasetRow row;
    row.id = id;
    row.split = split;
    row.text = trim(cells[text_col]);
    row.audio = absolute_path(mp4);
    row.labels = labels;
    row.meta = {video, video, trim(cells[annotation_col])};
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace daf
