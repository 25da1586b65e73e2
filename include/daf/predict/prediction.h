#pragma once
// daf-predict: the frozen encoders of an extract config (daf-extract's own code) and a
// trained head, on new utterances: a manifest, one utterance, or JSON Lines from a pipe.
// Torch-free header; the head and encoders live behind a pointer.
#include <memory>
#include <string>
#include <vector>

#include "daf/extract/manifest.h"

namespace daf {

struct PredictRequest {
  std::string run_dir;      // a run directory (model.yaml + model.pt), or
  std::string model_file;   // a head that daf-export wrote
  std::string encoders;     // extract config with the text/audio encoder sections
  std::vector<std::string> overrides;
  bool allow_other_encoders = false;  // run even when the encoders are not those the head was trained on
};

struct PredictionRecord {
  std::string id;
  double prediction = 0;             // regression
  int64_t predicted_class = -1;      // classification
  std::vector<double> probabilities;  // classification: per class; multilabel: per label
  std::vector<std::string> labels;    // multilabel: the labels predicted present (probability > 0.5)
  std::vector<double> weights;       // per head modality; empty for concat fusion
  std::vector<std::string> masked;   // "audio (no audio file)", "text (skipped: ...)"
  std::string error;                 // a bad row skipped under on_error=skip (no modality left): no prediction
};

class Predictor {
 public:
  // Loads the head and the encoder config; checks that the encoders are the ones the head
  // was trained on (SHA-256 recorded at extraction) unless allowed. InputError names both.
  explicit Predictor(const PredictRequest& request);
  ~Predictor();

  // One record per row, in order. Bad rows follow the config's extract.on_error (fail:
  // InputError; skip: the modality is masked and the record says why). A row left with no
  // modality (no text, no audio, or both skipped) is a bad row: fail throws, skip sets `error`.
  std::vector<PredictionRecord> predict(const std::vector<Utterance>& rows);

  const std::vector<std::string>& modalities() const;
  const std::vector<std::string>& class_names() const;  // classes, or labels (multilabel); empty for regression
  bool skip_errors() const;
  double load_seconds() const;  // head and encoders

  std::string csv_header() const;
  std::string csv_line(const PredictionRecord& record) const;
  std::string json_line(const PredictionRecord& record) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One utterance of a JSON Lines input line ({"id", "text", "audio", "start", "end"});
// InputError "ORIGIN:LINE: ..." for anything else.
Utterance parse_utterance_json(const std::string& line, const std::string& origin, int64_t line_number);

}  // namespace daf
