#pragma once
// The encoders of an extract config run over utterances in memory, without a cache,
// checkpoints or a lock: what daf-predict needs from daf-extract (same tokenizers,
// decoding, resampling, chunking, bucketing and pooling).
#include <map>
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

// Text goes through the text encoder for rows with a non-empty text, audio through the
// speech encoder for rows with an audio file; a row that fails (undecodable audio, text
// that is not valid UTF-8) goes through `problems` (fail: InputError; skip: listed in the
// modality's `skipped`).
Embeddings embed_utterances(const ExtractConfig& config, const std::vector<Utterance>& rows, SkipReport& problems);

// An extract config with only its encoder sections checked (no manifest or output needed).
ExtractConfig load_encoder_config(const std::string& file, const std::vector<std::string>& overrides);

}  // namespace daf
