#pragma once
// daf-extract's config: where utterances come from, which frozen encoders
// embed them, and how the work is batched, checkpointed and sharded.
#include <cstdint>
#include <string>
#include <vector>

#include "daf/text/tokenizer.h"

namespace daf {

class OptionSet;

struct TextEncoderConfig {
  std::string encoder;        // TorchScript file; empty: no text embedding
  TokenizerConfig tokenizer;  // text.tokenizer and its files and options
  std::string modality;       // feature name in the cache
  std::string pooling;        // mean | first | module
  int64_t batch_size = 0;
  int64_t batch_tokens = 0;  // padded tokens per batch
};

struct SpeechEncoderConfig {
  std::string encoder;  // TorchScript file; empty: no audio embedding
  std::string modality;
  int64_t sample_rate = 0;  // 0: the module's `sample_rate` attribute
  double max_seconds = 0;   // longer utterances are encoded in chunks and pooled over all of them
  int64_t batch_size = 0;
  double batch_seconds = 0;  // padded seconds of audio per batch
};

struct ExtractConfig {
  std::string manifest;     // CSV or JSON Lines
  std::string input_cache;  // or: an existing cache with transcripts (text embedding only)
  std::string output;
  std::vector<std::string> labels;  // manifest label columns; empty: every column that is not a field
  std::string class_label;           // a label column of class names (stored as indices)
  std::vector<std::string> meta;     // manifest columns kept as per-utterance metadata (meta/<column>)
  std::vector<std::string> classes;  // its classes, in index order
  std::string on_error;             // fail | skip
  std::string report;               // skipped utterances; empty: <output>.skipped.csv
  std::string shard;                // "K/N" or empty
  bool bucketing = true;
  double checkpoint_seconds = 0;
  int64_t threads = 0;
  std::string device;
  TextEncoderConfig text;
  SpeechEncoderConfig audio;

  bool skip_errors() const { return on_error == "skip"; }
  std::string report_path() const;
  // Where this process writes: `output`, or `<output stem>.shard-K-of-N.h5` with a shard.
  std::string shard_output() const;
};

void declare_extract_options(OptionSet& options, ExtractConfig& config);

// Checks the text.* tokenizer keys of resolved `options` (bound to `config`): the
// files the kind needs, keys that belong to another kind, the old form
// `text.tokenizer: FILE.model`. InputError naming the key.
void check_tokenizer_options(const OptionSet& options, TokenizerConfig& config);

// Only the tokenizer of an extract config (daf-tokenize): the text section is read
// and checked as daf-extract reads it; the other sections are parsed but not required.
TokenizerConfig load_tokenizer_config(const std::string& file, const std::vector<std::string>& overrides);

// Reads the YAML file (may be empty) and overrides, then checks keys that
// depend on each other; InputError names the key.
ExtractConfig load_extract_config(const std::string& file, const std::vector<std::string>& overrides);

// The resolved config as YAML, for logs and provenance.
std::string extract_config_yaml(const ExtractConfig& config);

}  // namespace daf
