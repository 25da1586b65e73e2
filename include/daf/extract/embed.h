#pragma once
// The encoders of an extract config run over utterances in memory, without a cache,
// checkpoints or a lock: what daf-predict needs from daf-extract (same tokenizers,
// decoding, resampling, chunking, bucketing and pooling).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daf/extract/extract_config.h"
#include "daf/extract/manifest.h"
#include "daf/extract/partial_results.h"
#include "daf/extract/skip_report.h"

namespace daf {

struct Embeddings {
  std::map<std::string, ModalityResults> modalities;  // by text.modality / audio.modality
  std::vector<std::string> summaries;                 // one line per pass, as daf-extract logs them
};

// The encoders of a config, loaded once (tokenizer, TorchScript modules, their digests)
// and used for every call of embed(): daf-predict's pipe encodes line after line.
class Embedder {
 public:
  explicit Embedder(const ExtractConfig& config);
  ~Embedder();
  Embedder(const Embedder&) = delete;
  Embedder& operator=(const Embedder&) = delete;

  // Text goes through the text encoder for rows with a non-empty text, audio through the
  // speech encoder for rows with an audio file; a row that fails (undecodable audio or
  // non-finite samples, text that is not valid UTF-8) goes through `problems` (fail:
  // InputError; skip: listed in the modality's `skipped`).
  Embeddings embed(const std::vector<Utterance>& rows, SkipReport& problems);
  // The cache attributes the encoders' features would get (digests, tokenizer fingerprint),
  // and "dims", the width of their features, by modality.
  std::map<std::string, std::map<std::string, std::string>> provenance() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// An extract config with only its encoder sections checked (no manifest or output needed).
ExtractConfig load_encoder_config(const std::string& file, const std::vector<std::string>& overrides);

}  // namespace daf
