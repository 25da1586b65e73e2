#include "daf/datasets/meld.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "daf/util/csv.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "dataset_files.h"

namespace daf {
namespace {

namespace fs = std::filesystem;

struct MeldSplit {
  const char* name;          // in the file names and ids
  const char* split;         // daf's name
  const char* video_folder;  // where its clips are, somewhere below the root
};
const std::vector<MeldSplit> kMeldSplits = {{"train", "train", "train_splits"},
                                            {"dev", "valid", "dev_splits_complete"},
                                            {"test", "test", "output_repeated_splits_test"}};

fs::path find_meld_release(const std::string& root) {
  const fs::path path(root);
  if (!fs::is_directory(path)) throw InputError("MELD root " + root + ": not a directory");
  for (const auto& s : kMeldSplits)
    if (fs::is_regular_file(path / (std::string(s.name) + "_sent_emo.csv"))) return path;
  if (fs::is_directory(path / "MELD.Raw")) return path / "MELD.Raw";
  throw InputError("MELD root " + root +
                   ": expected the folder MELD.Raw (holding train_sent_emo.csv, dev_sent_emo.csv, test_sent_emo.csv), "
                   "found neither those files nor MELD.Raw in it");
}

// The clip folders, searched below the release (the archives unpack them at
// different depths); the first in sorted order where one is there twice.
std::map<std::string, fs::path> find_video_folders(const fs::path& release) {
  std::vector<fs::path> found;
  std::error_code error;
  fs::recursive_directory_iterator it(release, fs::directory_options::skip_permission_denied, error), end;
  for (; !error && it != end; it.increment(error)) {
    if (it.depth() > 3) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_directory()) continue;
    for (const auto& s : kMeldSplits)
      if (it->path().filename() == s.video_folder) found.push_back(it->path());
  }
  if (error) throw RuntimeFailure(release.string() + ": cannot list the folder: " + error.message());
  std::sort(found.begin(), found.end());
  std::map<std::string, fs::path> folders;
  for (const auto& path : found) folders.emplace(path.filename().string(), path);
  return folders;
}

bool is_count(const std::string& text) {
  return !text.empty() && text.size() < 10 &&
         std::all_of(text.begin(), text.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
}

std::string sentiment_value(const std::string& name) {
  if (name == "negative") return "-1";
  if (name == "neutral") return "0";
  if (name == "positive") return "1";
  return "";
}

struct SplitContext {
  const MeldSplit& split;
  const fs::path* videos;  // nullptr: the folder is missing
  std::set<std::string>& ids;
  DatasetManifest& out;
};

void read_row(const CsvTable& table, size_t r, const std::string& csv_path, SplitContext& c) {
  const auto cell = [&](const char* name) { return trim(table.rows[r][table.column(name, csv_path)]); };
  const std::string where = csv_path + ":" + std::to_string(table.lines[r]);
  const std::string dialogue = cell("Dialogue_ID"), utterance = cell("Utterance_ID");
  if (!is_count(dialogue) || !is_count(utterance)) {
    c.out.skipped.push_back({where, "", "unreadable ids",
                             "expected whole numbers in Dialogue_ID and Utterance_ID, found '" + dialogue + "' and '" +
                                 utterance + "'"});
    return;
  }
  const std::string clip = "dia" + dialogue + "_utt" + utterance;
  const std::string id = std::string(c.split.name) + "_" + clip;  // ids restart in every split
  const std::string emotion = ascii_lower(cell("Emotion"));
  const std::vector<std::string> classes = meld_classes();
  if (!contains(classes, emotion)) {
    c.out.skipped.push_back({where, id, "unknown emotion",
                             "expected one of " + join(classes, ", ") + ", found '" + cell("Emotion") + "'"});
    return;
  }
  const std::string sentiment = sentiment_value(ascii_lower(cell("Sentiment")));
  if (sentiment.empty()) {
    c.out.skipped.push_back(
        {where, id, "unknown sentiment", "expected negative, neutral or positive, found '" + cell("Sentiment") + "'"});
    return;
  }
  if (!c.ids.insert(id).second) {
    c.out.skipped.push_back({where, id, "repeated utterance", "an earlier row has the same dialogue and utterance"});
    return;
  }
  if (c.videos == nullptr || !fs::is_regular_file(*c.videos / (clip + ".mp4"))) {
    c.out.skipped.push_back(
        {where, id, "no video file",
         c.videos ? (*c.videos / (clip + ".mp4")).string() + " not found"
                  : std::string(c.split.video_folder) + ": no such folder below the root"});
    return;
  }
  std::string times[2];
  const char* columns[2] = {"StartTime", "EndTime"};
  for (int k = 0; k < 2; ++k) {
    double seconds = 0;
    if (parse_episode_time(cell(columns[k]), seconds))
      times[k] = format_number(seconds);
    else
      c.out.skipped.push_back({where, id, "unreadable time (row kept)",
                               std::string(columns[k]) + ": expected hh:mm:ss,mmm, found '" + cell(columns[k]) +
                                   "'; episode_" + (k ? "end" : "start") + " left empty"});
  }
  DatasetRow row;
  row.id = id;
  row.split = c.split.split;
  row.text = trim(repair_cp1252(cell("Utterance")));
  row.audio = absolute_path(*c.videos / (clip + ".mp4"));
  row.labels = {emotion, sentiment};
  row.meta = {trim(repair_cp1252(cell("Speaker"))), std::string(c.split.name) + "_dia" + dialogue, cell("Season"),
              cell("Episode"), times[0], times[1]};
  c.out.rows.push_back(std::move(row));
}

}  // namespace

std::vector<std::string> meld_classes() { return {"neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear"}; }

bool parse_episode_time(const std::string& text, double& seconds) {
  // h:mm:ss,fff with one or two hour digits and one to three fraction digits.
  const std::vector<std::string> parts = split(trim(text), ':');
  if (parts.size() != 3) return false;
  const std::vector<std::string> sec = split(parts[2], ',');
  if (sec.size() != 2 || sec[1].empty() || sec[1].size() > 3) return false;
  for (const auto* p : {&parts[0], &parts[1], &sec[0], &sec[1]})
    if (!is_count(*p)) return false;
  if (parts[0].size() > 2 || parts[1].size() != 2 || sec[0].size() != 2) return false;
  const double minutes = std::stod(parts[1]), whole = std::stod(sec[0]);
  if (minutes >= 60 || whole >= 60) return false;
  seconds = std::stod(parts[0]) * 3600 + minutes * 60 + whole + std::stod("0." + sec[1]);
  return true;
}

DatasetManifest read_meld(const std::string& root) {
  DatasetManifest out;
  out.dataset = "meld";
  out.classes = meld_classes();
  out.class_column = "emotion";
  out.label_columns = {"emotion", "sentiment"};
  out.meta_columns = {"speaker", "dialogue", "season", "episode", "episode_start", "episode_end"};
  const fs::path release = find_meld_release(root);
  const std::map<std::string, fs::path> folders = find_video_folders(release);
  for (const auto& split : kMeldSplits) {
    const fs::path csv_path = release / (std::string(split.name) + "_sent_emo.csv");
    if (!fs::is_regular_file(csv_path)) {
      out.skipped.push_back({csv_path.string(), "", "no label file", "not found; the split is skipped"});
      continue;
    }
    out.inputs.push_back(csv_path.string());
    const CsvTable table = read_csv(csv_path.string());
    const auto folder = folders.find(split.video_folder);
    std::set<std::string> ids;
    SplitContext context{split, folder == folders.end() ? nullptr : &folder->second, ids, out};
    for (size_t r = 0; r < table.rows.size(); ++r) read_row(table, r, csv_path.string(), context);
  }
  return out;
}

}  // namespace daf
