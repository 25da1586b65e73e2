#pragma once
// The utterance explorer of an HTML report: one row per test utterance with
// its label, each condition's prediction and error, the difference of the
// compared conditions' errors, the fusion weights, the transcript and a link
// to its audio. The rows travel as one JSON block (not a script: the page's
// policy runs nothing but its own code) and the page's script draws 100 at a
// time, sorted and filtered as asked, so a MOSEI-sized split (4,659 x 7
// conditions) stays quick. Without JavaScript the section says where the same
// numbers are.
#include <string>
#include <vector>

namespace daf {

class HtmlPage;

struct ExplorerRow {
  std::string id;
  std::string label;                     // as shown: a score, a class name, the labels present
  double label_value = 0;                // what the label column sorts by
  std::vector<std::string> predictions;  // per condition, as shown ("" where it has no run)
  std::vector<double> errors;            // per condition (NaN where it has no run)
  double difference = 0;                 // error of the reference minus the baseline's (NaN: none)
  std::vector<std::vector<double>> weights;  // per gated condition, per modality (empty: none)
  std::string transcript;
  std::string audio;                     // a link relative to the page ("" where none)
  std::vector<int> slices;               // indices into ExplorerData::slices
};

struct ExplorerData {
  std::string scope = "test split";      // what the rows are (cross-validation: the test folds pooled)
  std::string error_meaning;             // e.g. "absolute error, mean over seeds"
  std::vector<std::string> conditions;
  std::string reference, baseline;       // the compared conditions (baseline "": no difference column)
  std::vector<std::string> gated;        // conditions with fusion weights over several modalities, in ExplorerRow::weights order
  std::vector<std::string> modalities;   // the weights' order
  std::vector<std::string> slices;       // "family: name"
  std::string audio_note;                // why some or all rows have no audio link ("" when all have one)
  std::string no_script_note;            // where the numbers are for a reader without JavaScript
  std::vector<ExplorerRow> rows;
};

// The explorer's JSON: `<`, `>` and `&` written as \u escapes, so no text in it
// can end the block it sits in.
std::string explorer_json(const ExplorerData& data);

// The explorer as a section of `page`: a heading, the controls, an empty table
// the script fills, the data block and the script.
void add_utterance_explorer(HtmlPage& page, const ExplorerData& data);

}  // namespace daf
