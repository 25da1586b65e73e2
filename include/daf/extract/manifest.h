#pragma once
// The utterance list daf-extract works through: a CSV or JSON Lines manifest,
// or the rows of an existing cache (its transcripts).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace daf {

class SkipReport;

struct Utterance {
  std::string id;
  std::string split;  // train | valid | test
  std::string text;
  std::string audio;   // absolute or relative to the working directory (resolved)
  double start = 0;    // seconds
  double end = 0;      // seconds; 0: to the end of the file
  std::map<std::string, float> labels;
  std::map<std::string, std::string> meta;  // extract.meta columns, as written (trimmed)
  std::string where;   // "manifest.csv:12" for messages
};

struct Manifest {
  std::string path;
  std::vector<Utterance> rows;
  std::vector<std::string> label_columns;
  std::vector<std::string> columns;  // every column the file has

  bool has_column(const std::string& name) const;
};

// Reads a manifest (.jsonl/.json: JSON Lines; anything else: CSV with a header).
// Structural problems (no id/split column, unreadable file) are InputErrors;
// a bad row (duplicate id, unknown split, non-numeric label or time, end <= start)
// goes through `problems` (fail: InputError naming file:line; skip: dropped).
// `label_columns` empty: every column that is not a field.
// A label column whose values are class names (extract.class_label), kept as
// the class's index in `classes`; a name not in it is a bad row.
// `meta_columns` (extract.meta) are kept as text per row and are never labels.
struct ClassColumn {
  std::string label;                 // empty: none
  std::vector<std::string> classes;  // index order
};
Manifest read_manifest(const std::string& path, const std::vector<std::string>& label_columns, SkipReport& problems,
                       const ClassColumn& class_column = {}, const std::vector<std::string>& meta_columns = {});

// A manifest of utterances to predict (daf-predict): only id is required; split and
// label columns are optional and not read, and other columns are ignored.
Manifest read_prediction_manifest(const std::string& path, SkipReport& problems);

// Rows of one split, in manifest order.
std::vector<const Utterance*> split_rows(const Manifest& manifest, const std::string& split);

}  // namespace daf
