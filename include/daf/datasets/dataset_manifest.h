#pragma once
// A dataset's utterances as the rows of a daf-extract manifest, with what was
// left out and why. The dataset readers (iemocap.h, ...) fill it; daf-manifest
// writes it (docs/datasets.md).
#include <map>
#include <string>
#include <vector>

namespace daf {

struct DatasetRow {
  std::string id;
  std::string split;   // train, valid or test
  std::string text;
  std::string audio;   // an absolute path
  std::string start;   // seconds within `audio`, or "" (the whole file)
  std::string end;
  std::vector<std::string> labels;  // one per DatasetManifest::label_columns
  std::vector<std::string> meta;    // one per DatasetManifest::meta_columns
};

// Something of the dataset that is not a row: `where` is "file:line" or a
// file, `kind` a short category the summary counts ("no audio file"), `reason`
// the details.
struct SkippedItem {
  std::string where;
  std::string id;
  std::string kind;
  std::string reason;
};

struct DatasetManifest {
  std::string dataset;
  std::vector<std::string> label_columns;  // numbers, or class names in `class_column`
  std::string class_column;                // "" when no label is categorical
  std::vector<std::string> classes;        // its class names, in index order
  std::vector<std::string> meta_columns;
  std::vector<DatasetRow> rows;
  std::vector<SkippedItem> skipped;
  std::vector<std::string> inputs;  // the text files read (besides the rows' audio), never written over
};

// The manifest as CSV: id, split, text, audio[, start, end], labels, meta.
std::string manifest_csv(const DatasetManifest& manifest);
// The skipped items as CSV: where, id, kind, reason.
std::string skipped_csv(const DatasetManifest& manifest);
// Markdown: rows per split and class (or per split), and skips per kind.
std::string manifest_summary(const DatasetManifest& manifest);

// Writes `path`, `path`.skipped.csv and `path`.summary.md, each atomically,
// under a lock on `path`; an earlier manifest is removed before its
// companions are replaced, so a manifest always belongs to the two beside it. InputError when the dataset has no row, or when an
// output would replace one of the dataset's files.
void write_dataset_manifest(const std::string& path, const DatasetManifest& manifest);

}  // namespace daf
