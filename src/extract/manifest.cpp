#include "daf/extract/manifest.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>
#include <unordered_set>

#include "daf/data/embedding_cache.h"
#include "daf/extract/skip_report.h"
#include "daf/util/atomic_file.h"
#include "daf/util/csv.h"
#include "daf/util/error.h"
#include "daf/util/json_line.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

const std::vector<std::string> kFields = {"id", "split", "text", "audio", "start", "end"};

struct Record {
  std::string where;
  std::map<std::string, std::string> values;
};

bool is_json_lines(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".jsonl" || ext == ".json" || ext == ".ndjson";
}

std::vector<Record> read_json_lines(const std::string& path, std::vector<std::string>& columns) {
  std::istringstream in(without_bom(read_file(path)));
  std::vector<Record> records;
  std::set<std::string> seen_columns;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (trim(line).empty()) continue;
    Record record{path + ":" + std::to_string(number), {}};
    for (auto& [key, value] : parse_json_object_line(line, record.where)) {
      record.values[key] = std::move(value.text);
      if (seen_columns.insert(key).second) columns.push_back(key);
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<Record> read_csv_records(const std::string& path, std::vector<std::string>& columns) {
  const CsvTable table = read_csv(path);
  columns = table.header;
  std::vector<Record> records;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    Record record{path + ":" + std::to_string(table.lines[r]), {}};
    for (size_t c = 0; c < table.header.size(); ++c) record.values[table.header[c]] = table.rows[r][c];
    records.push_back(std::move(record));
  }
  return records;
}

std::string field(const Record& record, const std::string& key) {
  const auto it = record.values.find(key);
  return it == record.values.end() ? std::string() : trim(it->second);
}

// One row -> Utterance; returns a reason when the row is bad.
std::string parse_row(const Record& record, const std::vector<std::string>& label_columns,
                      const std::vector<std::string>& meta_columns, const ClassColumn& class_column,
                      const std::filesystem::path& base, bool prediction, Utterance& out) {
  out.where = record.where;
  out.id = field(record, "id");
  if (out.id.empty()) return "empty id";
  for (const auto& [column, value] : record.values) {
    size_t at = 0;
    if (!is_valid_utf8(value, &at))
      return "column '" + column + "' is not valid UTF-8 (bad byte at offset " + std::to_string(at) + ")";
  }
  out.split = field(record, "split");
  const auto& splits = cache_split_names();
  if (prediction) out.split = "test";  // a prediction manifest's split, if any, is not used
  if (std::find(splits.begin(), splits.end(), out.split) == splits.end())
    return "split '" + out.split + "': expected one of train, valid, test" + did_you_mean(out.split, splits);
  const auto text_it = record.values.find("text");
  if (text_it != record.values.end()) out.text = text_it->second;
  const std::string audio = field(record, "audio");
  if (!audio.empty()) {
    const std::filesystem::path path(audio);
    out.audio = (path.is_absolute() ? path : base / path).lexically_normal().string();
  }
  for (const char* key : {"start", "end"}) {
    const std::string value = field(record, key);
    if (value.empty()) continue;
    double seconds = 0;
    if (!parse_number(value, seconds) || seconds < 0)
      return std::string(key) + ": expected seconds >= 0, found '" + value + "'";
    (std::string(key) == "start" ? out.start : out.end) = seconds;
  }
  if (out.end > 0 && out.end <= out.start)
    return "end " + format_number(out.end) + " s is not after start " + format_number(out.start) + " s";
  for (const auto& label : label_columns) {
    const auto it = record.values.find(label);
    double value = 0;
    if (it == record.values.end()) return "label '" + label + "' is missing";
    if (label == class_column.label) {
      const auto& classes = class_column.classes;
      const std::string name = trim(it->second);
      const auto found = std::find(classes.begin(), classes.end(), name);
      if (found == classes.end())
        return "label '" + label + "': class '" + name + "' is not one of extract.classes [" + join(classes, ", ") +
               "]" + did_you_mean(name, classes);
      out.labels[label] = static_cast<float>(found - classes.begin());
      continue;
    }
    if (!parse_number(it->second, value))
      return "label '" + label + "': expected a finite number, found '" + it->second + "'";
    out.labels[label] = static_cast<float>(value);
  }
  for (const auto& column : meta_columns) out.meta[column] = field(record, column);
  return "";
}

Manifest read_any_manifest(const std::string& path, const std::vector<std::string>& label_columns,
                           SkipReport& problems, const ClassColumn& class_column,
                           const std::vector<std::string>& meta_columns, bool prediction) {
  std::vector<std::string> columns;
  const std::vector<Record> records =
      is_json_lines(path) ? read_json_lines(path, columns) : read_csv_records(path, columns);
  if (records.empty()) throw InputError(path + ": the manifest has no rows");
  const std::vector<std::string> required = prediction ? std::vector<std::string>{"id"}
                                                      : std::vector<std::string>{"id", "split"};
  for (const auto& name : required)
    if (std::find(columns.begin(), columns.end(), name) == columns.end())
      throw InputError(path + ": no column '" + name + "' (found: " + join(columns, ", ") + ")");

  Manifest manifest;
  manifest.path = path;
  manifest.columns = columns;
  if (prediction) {
    // No labels: every other column is ignored.
  } else if (label_columns.empty()) {
    for (const auto& c : columns)
      if (!contains(kFields, c) && !contains(meta_columns, c)) manifest.label_columns.push_back(c);
  } else {
    for (const auto& label : label_columns)
      if (contains(meta_columns, label))
        throw InputError(path + ": column '" + label + "' is named in both extract.labels and extract.meta");
    for (const auto& label : label_columns)
      if (std::find(columns.begin(), columns.end(), label) == columns.end())
        throw InputError(path + ": extract.labels names column '" + label + "', which the manifest lacks" +
                         did_you_mean(label, columns));
    manifest.label_columns = label_columns;
  }
  if (!class_column.label.empty() &&
      std::find(manifest.label_columns.begin(), manifest.label_columns.end(), class_column.label) ==
          manifest.label_columns.end())
    throw InputError(path + ": extract.class_label names column '" + class_column.label +
                     "', which is not among the manifest's label columns (" + join(manifest.label_columns, ", ") + ")" +
                     did_you_mean(class_column.label, manifest.label_columns));

  for (const auto& column : meta_columns)
    if (!contains(columns, column))
      throw InputError(path + ": extract.meta names column '" + column + "', which the manifest lacks" +
                       did_you_mean(column, columns) + " (found: " + join(columns, ", ") + ")");

  const std::filesystem::path base = std::filesystem::path(path).parent_path();
  std::unordered_set<std::string> ids;
  for (const auto& record : records) {
    Utterance row;
    std::string reason = parse_row(record, manifest.label_columns, meta_columns, class_column, base, prediction, row);
    if (reason.empty() && !ids.insert(row.id).second) reason = "id '" + row.id + "' appears twice";
    if (!reason.empty()) {
      problems.handle(row.id, "", record.where + ": " + reason);
      continue;
    }
    manifest.rows.push_back(std::move(row));
  }
  return manifest;
}

}  // namespace

Manifest read_manifest(const std::string& path, const std::vector<std::string>& label_columns, SkipReport& problems,
                       const ClassColumn& class_column, const std::vector<std::string>& meta_columns) {
  return read_any_manifest(path, label_columns, problems, class_column, meta_columns, false);
}

Manifest read_prediction_manifest(const std::string& path, SkipReport& problems) {
  return read_any_manifest(path, {}, problems, {}, {}, true);
}

bool Manifest::has_column(const std::string& name) const {
  return std::find(columns.begin(), columns.end(), name) != columns.end();
}

std::vector<const Utterance*> split_rows(const Manifest& manifest, const std::string& split) {
  std::vector<const Utterance*> rows;
  for (const auto& row : manifest.rows)
    if (row.split == split) rows.push_back(&row);
  return rows;
}

}  // namespace daf
