#include "daf/datasets/iemocap.h"

#include <cctype>
#include <filesystem>
#include <map>

#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "dataset_files.h"

namespace daf {
namespace {

namespace fs = std::filesystem;

struct CodeInfo {
  const char* code;
  const char* name;  // the class name in "all"
};
// IEMOCAP's categorical codes (EmoEvaluation's fourth column); xxx (no
// majority among the annotators) is no class in any set.
const std::vector<CodeInfo> kCodes = {{"neu", "neutral"},  {"hap", "happy"},     {"sad", "sad"},
                                      {"ang", "angry"},    {"exc", "excited"},   {"fru", "frustrated"},
                                      {"sur", "surprised"}, {"fea", "fearful"},  {"dis", "disgusted"},
                                      {"oth", "other"}};

size_t set_size(const std::string& set) {
  if (set == "4") return 4;
  if (set == "6") return 6;
  if (set == "all") return kCodes.size();
  throw InputError("IEMOCAP class set: expected 4, 6 or all, found '" + set + "'");
}

// One labelled turn of an EmoEvaluation file:
// "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]".
struct Evaluation {
  std::string id, code, valence, arousal, dominance;
};

bool is_number(const std::string& text) {
  double value = 0;
  return parse_number(text, value);
}

// "" when the line parses; otherwise what is wrong with it.
std::string parse_evaluation(const std::string& line, Evaluation& out) {
  const std::vector<std::string> fields = split(line, '\t');
  if (fields.size() != 4) return "expected 4 tab-separated fields, found " + std::to_string(fields.size());
  out.id = trim(fields[1]);
  out.code = trim(fields[2]);
  std::string vad = trim(fields[3]);
  if (vad.size() < 2 || vad.front() != '[' || vad.back() != ']') return "expected [V, A, D], found '" + vad + "'";
  const std::vector<std::string> values = split(vad.substr(1, vad.size() - 2), ',');
  if (values.size() != 3) return "expected [V, A, D], found '" + vad + "'";
  out.valence = trim(values[0]);
  out.arousal = trim(values[1]);
  out.dominance = trim(values[2]);
  for (const auto* v : {&out.valence, &out.arousal, &out.dominance})
    if (!is_number(*v)) return "expected [V, A, D] of numbers, found '" + vad + "'";
  if (out.id.empty() || out.code.empty()) return "empty turn id or emotion";
  return "";
}

// "Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me." -> id and text;
// false for lines of another shape.
bool parse_transcript_line(const std::string& line, std::string& id, std::string& text) {
  if (line.rfind("Ses", 0) != 0) return false;
  const size_t space = line.find(' ');
  const size_t colon = line.find("]:");
  if (space == std::string::npos || colon == std::string::npos || colon < space || line[space + 1] != '[')
    return false;
  id = line.substr(0, space);
  text = trim(line.substr(colon + 2));
  return true;
}

struct Turn {
  std::string text;
  std::string where;
  bool used = false;
};

std::map<std::string, Turn> read_transcripts(const fs::path& file, std::vector<SkippedItem>& skipped,
                                             std::vector<std::string>& inputs) {
  std::map<std::string, Turn> turns;
  const std::vector<std::string> lines = read_lines(file.string());
  inputs.push_back(file.string());
  for (size_t i = 0; i < lines.size(); ++i) {
    if (trim(lines[i]).empty()) continue;
    const std::string where = file.string() + ":" + std::to_string(i + 1);
    std::string id, text;
    if (!parse_transcript_line(lines[i], id, text)) {
      skipped.push_back({where, "", "unreadable transcript line",
                         "expected 'Ses..._F000 [start-end]: text', found '" + lines[i] + "'"});
      continue;
    }
    turns[id] = {text, where, false};
  }
  return turns;
}

std::string scenario(const std::string& dialogue) {
  if (dialogue.find("_impro") != std::string::npos) return "improvised";
  if (dialogue.find("_script") != std::string::npos) return "scripted";
  return "";
}

fs::path find_release(const std::string& root) {
  const fs::path path(root);
  if (!fs::is_directory(path)) throw InputError("IEMOCAP root " + root + ": not a directory");
  if (fs::is_directory(path / "Session1") || fs::is_directory(path / "Session5")) return path;
  if (fs::is_directory(path / "IEMOCAP_full_release")) return path / "IEMOCAP_full_release";
  throw InputError("IEMOCAP root " + root +
                   ": expected the folder IEMOCAP_full_release (holding Session1 ... Session5), found neither "
                   "Session1 nor IEMOCAP_full_release in it");
}

struct SessionContext {
  const IemocapOptions& options;
  std::string split;
  std::string session;  // "Ses01"
  DatasetManifest& out;
};

void read_dialogue(const fs::path& session_dir, const fs::path& evaluation_file, SessionContext& c) {
  const std::string dialogue = evaluation_file.stem().string();
  const fs::path transcript_file = session_dir / "dialog" / "transcriptions" / (dialogue + ".txt");
  std::map<std::string, Turn> turns;
  if (fs::is_regular_file(transcript_file)) turns = read_transcripts(transcript_file, c.out.skipped, c.out.inputs);
  else
    c.out.skipped.push_back({transcript_file.string(), dialogue, "no transcript file",
                             "the dialogue's transcriptions file is missing; its turns are skipped"});
  const std::vector<std::string> lines = read_lines(evaluation_file.string());
  c.out.inputs.push_back(evaluation_file.string());
  for (size_t i = 0; i < lines.size(); ++i) {
    // Header lines start with '%', the annotators' lines with "C-E1:", "A-E4:", ...
    if (lines[i].empty() || lines[i][0] != '[') continue;
    const std::string where = evaluation_file.string() + ":" + std::to_string(i + 1);
    Evaluation e;
    if (const std::string problem = parse_evaluation(lines[i], e); !problem.empty()) {
      c.out.skipped.push_back({where, "", "unreadable evaluation line", problem});
      continue;
    }
    const auto turn = turns.find(e.id);
    if (turn != turns.end()) turn->second.used = true;
    const std::string speaker = iemocap_speaker(e.id);
    if (speaker.empty()) {
      c.out.skipped.push_back({where, e.id, "unreadable turn id", "expected an id like Ses01F_impro01_M000"});
      continue;
    }
    const std::string cls = iemocap_class(e.code, c.options.classes);
    if (cls.empty()) {
      const bool known = e.code == "xxx" || !iemocap_class(e.code, "all").empty();
      c.out.skipped.push_back(
          {where, e.id, e.code == "xxx" ? "no majority emotion (xxx)" : "not in the class set",
           e.code == "xxx" ? "the annotators agreed on no emotion"
                           : (known ? "emotion '" + e.code + "' (" + iemocap_class(e.code, "all") +
                                          ") is not one of the " + c.options.classes + " classes"
                                    : "unknown emotion code '" + e.code + "'")});
      continue;
    }
    if (turn == turns.end()) {
      c.out.skipped.push_back({where, e.id, "no transcript", "the transcript has no line for this turn"});
      continue;
    }
    const fs::path wav = session_dir / "sentences" / "wav" / dialogue / (e.id + ".wav");
    if (!fs::is_regular_file(wav)) {
      c.out.skipped.push_back({where, e.id, "no audio file", wav.string() + " not found"});
      continue;
    }
    DatasetRow row;
    row.id = e.id;
    row.split = c.split;
    row.text = c.options.strip_tags ? strip_transcript_tags(turn->second.text) : turn->second.text;
    row.audio = absolute_path(wav);
    row.labels = {cls, e.valence, e.arousal, e.dominance};
    row.meta = {speaker, c.session, dialogue, scenario(dialogue), e.code};
    c.out.rows.push_back(std::move(row));
  }
  for (const auto& [id, turn] : turns)
    if (!turn.used)
      c.out.skipped.push_back({turn.where, id, "transcript line without evaluation",
                               "no EmoEvaluation line labels this turn (e.g. the unlabelled ..._XX ids)"});
}

}  // namespace

std::vector<std::string> iemocap_classes(const std::string& set) {
  std::vector<std::string> names;
  const size_t n = set_size(set);
  // "4" and "6" merge or drop codes; their names come first in kCodes' order.
  for (size_t i = 0; i < n; ++i) names.push_back(kCodes[i].name);
  return names;
}

std::string iemocap_class(const std::string& code, const std::string& set) {
  const size_t n = set_size(set);
  if (set == "4" && code == "exc") return "happy";  // the standard 4-class set merges excited into happy
  for (size_t i = 0; i < n; ++i)
    if (code == kCodes[i].code) return kCodes[i].name;
  return "";
}

std::string iemocap_speaker(const std::string& utterance_id) {
  // Ses<NN><F|M>_<dialogue>_<F|M><NNN>: the session from the front, the
  // speaker's gender from the turn's own suffix.
  const size_t last = utterance_id.rfind('_');
  if (utterance_id.size() < 6 || utterance_id.rfind("Ses", 0) != 0 || !std::isdigit(utterance_id[3]) ||
      !std::isdigit(utterance_id[4]) || last == std::string::npos || last + 1 >= utterance_id.size())
    return "";
  const char gender = utterance_id[last + 1];
  if (gender != 'F' && gender != 'M') return "";
  return utterance_id.substr(0, 5) + gender;
}

std::string strip_transcript_tags(const std::string& text) {
  std::string kept;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') {
      const size_t close = text.find(']', i);
      if (close != std::string::npos) {
        i = close;
        kept += ' ';
        continue;
      }
    }
    kept += text[i];
  }
  std::string out;
  for (const char ch : kept) {
    if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += ch;
  }
  return trim(out);
}

DatasetManifest read_iemocap(const std::string& root, const IemocapOptions& options) {
  DatasetManifest out;
  out.dataset = "iemocap";
  out.classes = iemocap_classes(options.classes);
  out.class_column = "emotion";
  out.label_columns = {"emotion", "valence", "arousal", "dominance"};
  out.meta_columns = {"speaker", "session", "dialogue", "scenario", "emotion_code"};
  const fs::path release = find_release(root);
  for (int64_t n = 1; n <= 5; ++n) {
    const fs::path session_dir = release / ("Session" + std::to_string(n));
    const fs::path evaluations = session_dir / "dialog" / "EmoEvaluation";
    if (!fs::is_directory(evaluations)) {
      out.skipped.push_back({evaluations.string(), "", "no session folder", "not found; the session is skipped"});
      continue;
    }
    SessionContext context{options,
                           n == options.test_session ? "test" : (n == options.valid_session ? "valid" : "train"),
                           "Ses0" + std::to_string(n), out};
    for (const auto& file : sorted_files(evaluations, ".txt")) read_dialogue(session_dir, file, context);
  }
  return out;
}

}  // namespace daf
