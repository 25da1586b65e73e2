#pragma once
// One encoder pass over the utterances of a run (text or speech). Private to
// the extract module; run_extraction drives the passes.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daf/encoders/speech_encoder.h"
#include "daf/encoders/text_encoder.h"
#include "daf/extract/batching.h"
#include "daf/extract/extract_config.h"
#include "daf/extract/manifest.h"
#include "daf/extract/partial_results.h"
#include "daf/extract/skip_report.h"
#include "daf/text/tokenizer.h"

namespace daf::extract {

// Saves the partial results at most every `interval` seconds (and when forced).
class Checkpointer {
 public:
  Checkpointer(std::string path, PartialResults& results, double interval)
      : path_(std::move(path)), results_(results), interval_(interval), last_(std::chrono::steady_clock::now()) {}
  void maybe_save(bool force = false);

 private:
  std::string path_;
  PartialResults& results_;
  double interval_;
  std::chrono::steady_clock::time_point last_;
};

// Without a terminal (batch jobs, log files) the progress bar is silent; this
// logs a progress line at most once a minute instead.
class ProgressLog {
 public:
  // As ProgressBar: with total_work > 0 the time left comes from work done (seconds of audio, tokens).
  ProgressLog(std::string label, int64_t total, double total_work = 0, std::string work_unit = "");
  void update(int64_t done, double work_done = -1);

 private:
  std::string label_;
  int64_t total_;
  double total_work_;
  std::string work_unit_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_;
};

struct PassStats {
  std::string modality;
  int64_t utterances = 0;  // encoded in this run
  int64_t resumed = 0;     // finished by an earlier run
  int64_t skipped = 0;
  int64_t items = 0;       // texts, or audio chunks
  int64_t batches = 0;
  int64_t truncated = 0;   // texts cut at max_length
  int64_t chunked = 0;     // utterances longer than audio.max_seconds
  int64_t tokens = 0;      // useful tokens encoded
  double audio_seconds = 0;
  double seconds = 0;
  PaddingStats padding;
  std::map<std::string, std::string> attributes;  // recorded on the cache's features dataset

  std::string summary(bool bucketing) const;
};

// Whether every value of an embedding is finite (an encoder can turn odd input into NaN).
bool all_finite(const float* values, int64_t count);

struct PassContext {
  const ExtractConfig& config;
  const std::vector<const Utterance*>& rows;
  PartialResults& partial;
  const SkipReport& problems;
  Checkpointer& checkpoint;

  // The modality's results so far; InputError when a resumed run saved another width.
  ModalityResults& results(const std::string& modality, int64_t dims);
  // Under on_error=skip records the utterance as skipped for `modality`; under fail throws.
  void skip(const std::string& modality, const Utterance& row, const std::string& reason, PassStats& stats);
};

// A pass's encoders, loaded and checked on a probe batch once: daf-extract runs one
// pass with them, daf-predict's pipe one per input line.
struct TextModels {
  std::unique_ptr<Tokenizer> tokenizer;
  std::unique_ptr<TextEncoder> encoder;
  int64_t dims = 0;
  std::map<std::string, std::string> attributes;  // provenance for the cache (digests, settings)
};
struct SpeechModels {
  std::unique_ptr<SpeechEncoder> encoder;
  int64_t sample_rate = 0;
  int64_t dims = 0;
  std::map<std::string, std::string> attributes;
};
TextModels load_text_models(const ExtractConfig& config);
SpeechModels load_speech_models(const ExtractConfig& config);

PassStats run_text_pass(PassContext& context, TextModels& models);
PassStats run_speech_pass(PassContext& context, SpeechModels& models);

}  // namespace daf::extract
