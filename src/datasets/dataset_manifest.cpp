#include "daf/datasets/dataset_manifest.h"

#include <filesystem>
#include <map>
#include <set>

#include "daf/report/markdown_table.h"
#include "daf/util/atomic_file.h"
#include "daf/util/csv.h"
#include "daf/util/error.h"
#include "daf/util/file_lock.h"
#include "daf/util/paths.h"

namespace daf {
namespace {

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + csv_field(fields[i]);
  return line + "\n";
}

bool has_segments(const DatasetManifest& manifest) {
  for (const auto& row : manifest.rows)
    if (!row.start.empty() || !row.end.empty()) return true;
  return false;
}

const std::vector<std::string> kSplits = {"train", "valid", "test"};

}  // namespace

std::string manifest_csv(const DatasetManifest& manifest) {
  const bool segments = has_segments(manifest);
  std::vector<std::string> header = {"id", "split", "text", "audio"};
  if (segments) header.insert(header.end(), {"start", "end"});
  header.insert(header.end(), manifest.label_columns.begin(), manifest.label_columns.end());
  header.insert(header.end(), manifest.meta_columns.begin(), manifest.meta_columns.end());
  std::string out = csv_line(header);
  for (const auto& row : manifest.rows) {
    std::vector<std::string> fields = {row.id, row.split, row.text, row.audio};
    if (segments) fields.insert(fields.end(), {row.start, row.end});
    fields.insert(fields.end(), row.labels.begin(), row.labels.end());
    fields.insert(fields.end(), row.meta.begin(), row.meta.end());
    out += csv_line(fields);
  }
  return out;
}

std::string skipped_csv(const DatasetManifest& manifest) {
  std::string out = csv_line({"where", "id", "kind", "reason"});
  for (const auto& item : manifest.skipped) out += csv_line({item.where, item.id, item.kind, item.reason});
  return out;
}

std::string manifest_summary(const DatasetManifest& manifest) {
  std::map<std::string, size_t> per_split;
  std::map<std::pair<std::string, std::string>, size_t> per_class;
  size_t class_index = manifest.label_columns.size();
  for (size_t i = 0; i < manifest.label_columns.size(); ++i)
    if (manifest.label_columns[i] == manifest.class_column) class_index = i;
  for (const auto& row : manifest.rows) {
    ++per_split[row.split];
    if (class_index < row.labels.size()) ++per_class[{row.split, row.labels[class_index]}];
  }
  std::vector<std::string> header = {"split", "utterances"};
  if (class_index < manifest.label_columns.size())
    header.insert(header.end(), manifest.classes.begin(), manifest.classes.end());
  MarkdownTable table(header);
  std::vector<std::string> total = {"all", std::to_string(manifest.rows.size())};
  for (const auto& cls : manifest.classes) {
    if (class_index >= manifest.label_columns.size()) break;
    size_t n = 0;
    for (const auto& split : kSplits) n += per_class[{split, cls}];
    total.push_back(std::to_string(n));
  }
  for (const auto& split : kSplits) {
    std::vector<std::string> cells = {split, std::to_string(per_split[split])};
    if (class_index < manifest.label_columns.size())
      for (const auto& cls : manifest.classes) cells.push_back(std::to_string(per_class[{split, cls}]));
    table.add_row(cells);
  }
  table.add_row(total);
  std::string out = "# " + manifest.dataset + " manifest\n\n" + table.str() + "\n";
  if (manifest.skipped.empty()) return out + "Nothing skipped.\n";
  std::map<std::string, size_t> per_kind;
  for (const auto& item : manifest.skipped) ++per_kind[item.kind];
  MarkdownTable skips({"skipped", "items"});
  for (const auto& [kind, n] : per_kind) skips.add_row({kind, std::to_string(n)});
  return out + "Skipped " + std::to_string(manifest.skipped.size()) + " items (listed with their reasons in the " +
         ".skipped.csv file):\n\n" + skips.str();
}

void write_dataset_manifest(const std::string& path, const DatasetManifest& manifest) {
  if (manifest.rows.empty())
    throw InputError(manifest.dataset + ": no utterance found" +
                     (manifest.skipped.empty() ? "" : " (" + std::to_string(manifest.skipped.size()) +
                                                          " items skipped, the first: " +
                                                          manifest.skipped.front().where + ": " +
                                                          manifest.skipped.front().reason + ")"));
  std::vector<std::string> inputs = manifest.inputs;
  for (const auto& row : manifest.rows) inputs.push_back(row.audio);
  for (const auto& output : {path, path + ".skipped.csv", path + ".summary.md"})
    refuse_output_over_inputs(output, inputs, "the manifest output");
  const auto lock = lock_output_file(path);
  // The manifest goes first and comes back last, so that a run killed in
  // between leaves no manifest beside companions of another run.
  std::error_code error;
  std::filesystem::remove(path, error);
  if (error) throw RuntimeFailure(path + ": cannot replace the manifest: " + error.message());
  write_file_atomic(path + ".skipped.csv", skipped_csv(manifest));
  write_file_atomic(path + ".summary.md", manifest_summary(manifest));
  write_file_atomic(path, manifest_csv(manifest));
}

}  // namespace daf
