#include "daf/extract/extract_config.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <tuple>

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/util/error.h"
#include "daf/util/paths.h"
#include "daf/util/shard.h"
#include "daf/util/strings.h"

namespace daf {

void declare_extract_options(OptionSet& o, ExtractConfig& c) {
  o.add("extract.manifest", c.manifest, "",
        "CSV or JSON Lines with id, split, text, audio, optional start/end seconds and label columns; "
        "relative audio paths resolve against the manifest's folder; audio: what libsndfile reads (WAV, FLAC, OGG, "
        "MP3), or the audio stream of a video or compressed file (mp4, mkv, avi, webm, m4a) through FFmpeg");
  o.add("extract.input_cache", c.input_cache, "",
        "instead of a manifest: a cache with transcripts (as daf-import writes) to add a text embedding to");
  o.add("extract.output", c.output, "", "embedding cache to write (may equal extract.input_cache)");
  o.add("extract.labels", c.labels, {}, "manifest columns to keep as labels; empty: every column that is not "
        "id, split, text, audio, start or end");
  o.add("extract.meta", c.meta, {},
        "manifest columns kept as per-utterance metadata in the cache's meta/ group, as text ([speaker, session]): "
        "slices (analysis: column) and cross-validation groups (cv.by) read them; never labels");
  o.add("extract.class_label", c.class_label, "",
        "a label column whose values are class names (emotion: angry); stored as the class's index in "
        "extract.classes, with the names in the cache attribute classes.<label> (train with model.task=multiclass)");
  o.add("extract.classes", c.classes, {},
        "the classes of extract.class_label in index order ([neutral, happy, sad, angry]); a row with another "
        "name is a bad row");
  o.add("extract.on_error", c.on_error, "fail",
        "a bad utterance (missing/empty/undecodable audio, empty text, duplicate id, start past the end): "
        "fail stops with its error; skip lists it in the report and masks it (present = 0) or, for "
        "manifest rows that cannot be read, drops it",
        {"fail", "skip"});
  o.add("extract.report", c.report, "", "CSV of skipped utterances (id, modality, reason); empty: "
        "<output>.skipped.csv");
  o.add("extract.shard", c.shard, "", "K/N: process the K-th of N contiguous slices of every split and write "
        "<output stem>.shard-K-of-N.h5 (combine with daf-extract --merge)");
  o.add("extract.bucketing", c.bucketing, true,
        "form batches of similar length (less padding); false: batches in manifest order");
  o.add("extract.checkpoint_seconds", c.checkpoint_seconds, 30.0,
        "save finished embeddings at most this often (seconds) so a killed run resumes", Range::above(0));
  o.add("extract.threads", c.threads, 0, "LibTorch threads; 0: one per core", Range::at_least(0));
  o.add("extract.device", c.device, "cpu", "where encoders run", {"cpu", "cuda"});

  o.add("text.encoder", c.text.encoder, "",
        "TorchScript text encoder: forward(input_ids int64 [B,T], attention_mask int64 [B,T]) -> "
        "float [B,T,D] or [B,D] (or a tuple whose second element is the pooled [B,D]); empty: no text");
  TokenizerConfig& t = c.text.tokenizer;
  o.add("text.tokenizer", t.kind, "sentencepiece",
        "how text becomes ids, as the encoder was trained: sentencepiece (text.sentencepiece_model), wordpiece "
        "(BERT: text.vocab = vocab.txt) or bpe (GPT-2/RoBERTa byte-level BPE: text.vocab = vocab.json, "
        "text.merges = merges.txt); wordpiece and bpe give the ids Hugging Face's tokenizers give");
  o.add("text.sentencepiece_model", t.sentencepiece_model, "", "sentencepiece: the .model file");
  o.add("text.vocab", t.vocab, "", "wordpiece: vocab.txt (one token per line); bpe: vocab.json (token -> id)");
  o.add("text.merges", t.merges, "", "bpe: merges.txt (one merge per line, by rank)");
  o.add("text.lowercase", t.lowercase, true, "wordpiece: lower-case the text (uncased BERT models); false for cased");
  o.add("text.strip_accents", t.strip_accents, "auto",
        "wordpiece: drop accents (NFD, combining marks removed); auto: as text.lowercase (Hugging Face's default)",
        {"auto", "true", "false"});
  o.add("text.add_prefix_space", t.add_prefix_space, false,
        "bpe: put a space before each text so its first word is tokenized like any other (off in GPT-2's and "
        "RoBERTa's own tokenizers)");
  o.add("text.bos_token", t.bos_token, "auto", "wordpiece/bpe: token before each text; auto: [CLS] (wordpiece), "
        "<s> (bpe, when the vocabulary has it); \"\": none");
  o.add("text.eos_token", t.eos_token, "auto", "wordpiece/bpe: token after each text; auto: [SEP] (wordpiece), "
        "</s> (bpe, when the vocabulary has it); \"\": none");
  o.add("text.pad_token", t.pad_token, "auto", "wordpiece/bpe: token of padding positions; auto: [PAD] / <pad>; "
        "\"\" or absent: id 0 (the attention mask hides them)");
  o.add("text.unk_token", t.unk_token, "auto", "wordpiece: token of words it cannot build; auto: [UNK]");
  o.add("text.match_special_tokens", t.match_special_tokens, true,
        "wordpiece/bpe: special tokens written in the text ([SEP], <s>, <mask>, ...) become those tokens, as "
        "in Hugging Face's tokenizers; false: they are tokenized as plain text");
  o.add("text.bos_id", t.bos_id, -1, "sentencepiece: id prepended to every text; -1: none", Range::at_least(-1));
  o.add("text.eos_id", t.eos_id, -1, "sentencepiece: id appended to every text; -1: none", Range::at_least(-1));
  o.add("text.pad_id", t.pad_id, 0, "sentencepiece: id of padding positions (attention_mask 0)", Range::at_least(0));
  o.add("text.max_length", t.max_length, 128, "tokens per text, special tokens included; longer texts are "
        "truncated (and counted)", Range::at_least(1));
  o.add("text.modality", c.text.modality, "text", "feature name of the text embedding in the cache");
  o.add("text.pooling", c.text.pooling, "mean",
        "mean: masked mean over tokens; first: the first token; module: the encoder's own pooled output",
        {"mean", "first", "module"});
  o.add("text.batch_size", c.text.batch_size, 32, "texts per batch at most", Range::at_least(1));
  o.add("text.batch_tokens", c.text.batch_tokens, 4096, "padded tokens per batch at most (a longer text still "
        "gets a batch of its own)", Range::at_least(1));

  o.add("audio.encoder", c.audio.encoder, "",
        "TorchScript speech encoder: forward(waveform float [B,S], lengths int64 [B]) -> float [B,T',D] "
        "or (float [B,T',D], int64 [B] output lengths); empty: no audio");
  o.add("audio.modality", c.audio.modality, "audio", "feature name of the audio embedding in the cache");
  o.add("audio.sample_rate", c.audio.sample_rate, 0,
        "encoder's sample rate in Hz; 0: the module's integer attribute `sample_rate`", Range::at_least(0));
  o.add("audio.max_seconds", c.audio.max_seconds, 20.0,
        "longer utterances are encoded in equal chunks of at most this length and mean-pooled over all "
        "their frames", Range::above(0));
  o.add("audio.batch_size", c.audio.batch_size, 8, "utterances (chunks) per batch at most", Range::at_least(1));
  o.add("audio.batch_seconds", c.audio.batch_seconds, 80.0,
        "padded seconds of audio per batch at most", Range::above(0));
}

std::string ExtractConfig::report_path() const {
  return report.empty() ? shard_output() + ".skipped.csv" : report;
}

std::string ExtractConfig::shard_output() const {
  if (shard.empty()) return output;
  const auto [k, n] = parse_shard(shard);
  const std::filesystem::path path(output);
  const std::string stem = (path.parent_path() / path.stem()).string();
  return stem + ".shard-" + std::to_string(k) + "-of-" + std::to_string(n) + ".h5";
}

ExtractConfig load_extract_config(const std::string& file, const std::vector<std::string>& overrides) {
  ExtractConfig config;
  OptionSet options;
  declare_extract_options(options, config);
  apply_config_sources(options, file, overrides);

  if (config.manifest.empty() == config.input_cache.empty())
    throw InputError("set exactly one of extract.manifest and extract.input_cache");
  if (config.output.empty()) throw InputError("key 'extract.output' is not set (the cache to write)");
  if (!config.meta.empty() && config.manifest.empty())
    throw InputError("extract.meta names manifest columns, but the input is extract.input_cache (its meta/ group is "
                     "kept as it is)");
  for (size_t k = 0; k < config.meta.size(); ++k) {
    const std::string& column = config.meta[k];
    if (column.empty() || column.find('/') != std::string::npos)
      throw InputError("extract.meta: expected column names without '/', found '" + column + "'");
    if (std::find(config.meta.begin(), config.meta.begin() + static_cast<std::ptrdiff_t>(k), column) !=
        config.meta.begin() + static_cast<std::ptrdiff_t>(k))
      throw InputError("extract.meta: '" + column + "' is listed twice");
    if (column == "audio_file")
      throw InputError("extract.meta: 'audio_file' is the meta column daf-extract fills itself with each row's audio "
                       "file (when audio.encoder is set); name the manifest's column differently");
  }
  if (config.class_label.empty() != config.classes.empty())
    throw InputError("extract.class_label and extract.classes go together: the column of class names and its classes");
  if (!config.class_label.empty()) {
    if (config.classes.size() < 2)
      throw InputError("extract.classes: expected at least two class names, found " + join(config.classes, ", "));
    for (size_t k = 0; k < config.classes.size(); ++k) {
      if (config.classes[k].empty() || config.classes[k].find('\n') != std::string::npos)
        throw InputError("extract.classes: expected names without line breaks, found '" + config.classes[k] + "'");
      if (std::find(config.classes.begin(), config.classes.begin() + static_cast<std::ptrdiff_t>(k), config.classes[k]) !=
          config.classes.begin() + static_cast<std::ptrdiff_t>(k))
        throw InputError("extract.classes: '" + config.classes[k] + "' is listed twice");
    }
  }
  if (config.text.encoder.empty() && config.audio.encoder.empty())
    throw InputError("no encoder: set text.encoder and/or audio.encoder");
  if (!config.input_cache.empty() && !config.audio.encoder.empty())
    throw InputError("audio.encoder needs audio files: use extract.manifest, not extract.input_cache");
  if (!config.text.encoder.empty() && !config.audio.encoder.empty() && config.text.modality == config.audio.modality)
    throw InputError("text.modality and audio.modality are both '" + config.text.modality + "'");
  if (!config.text.encoder.empty()) check_tokenizer_options(options, config.text.tokenizer);
  if (!config.shard.empty()) parse_shard(config.shard);
  for (const auto& [key, path] : {std::pair<std::string, std::string>{"extract.manifest", config.manifest},
                                  {"extract.input_cache", config.input_cache},
                                  {"text.encoder", config.text.encoder},
                                  {"audio.encoder", config.audio.encoder}})
    if (!path.empty()) require_file(path, key);
  // extract.output may be extract.input_cache (features are added to it), never another input.
  const TokenizerConfig& t = config.text.tokenizer;
  refuse_output_over_inputs(config.output, {config.manifest, config.text.encoder, config.audio.encoder,
                                            t.sentencepiece_model, t.vocab, t.merges}, "extract.output");
  if (std::filesystem::is_directory(config.output))
    throw InputError("extract.output: " + config.output + ": is a directory, expected a file (the cache to write)");
  for (const auto& [key, name] : {std::pair<std::string, std::string>{"text.modality", config.text.modality},
                                  {"audio.modality", config.audio.modality}})
    if (name.empty() || name.find('/') != std::string::npos)
      throw InputError(key + ": expected a name without '/', found '" + name + "'");
  return config;
}

void check_tokenizer_options(const OptionSet& options, TokenizerConfig& t) {
  // Configs written before wordpiece and bpe gave the .model file as text.tokenizer.
  if (t.kind != "sentencepiece" && t.kind != "wordpiece" && t.kind != "bpe") {
    const bool model_file = std::filesystem::path(t.kind).extension() == ".model";
    if (!model_file || options.was_set("text.sentencepiece_model"))
      throw InputError("text.tokenizer: expected sentencepiece, wordpiece or bpe, found '" + t.kind + "'" +
                       did_you_mean(t.kind, {"sentencepiece", "wordpiece", "bpe"}));
    spdlog::warn("text.tokenizer: '{}' read as text.sentencepiece_model (text.tokenizer now names the kind: "
                 "write tokenizer: sentencepiece, sentencepiece_model: {})", t.kind, t.kind);
    t.sentencepiece_model = t.kind;
    t.kind = "sentencepiece";
  }
  // A key of another kind is an error once it differs from its default (a config may
  // reset one, e.g. text.bos_id=-1, when it switches kinds).
  const TokenizerConfig d;
  const std::vector<std::string> sp = {"sentencepiece"}, wp = {"wordpiece"}, bpe = {"bpe"}, both = {"wordpiece", "bpe"};
  const std::vector<std::tuple<std::string, std::vector<std::string>, bool>> belongs = {
      {"text.sentencepiece_model", sp, t.sentencepiece_model != d.sentencepiece_model},
      {"text.bos_id", sp, t.bos_id != d.bos_id},
      {"text.eos_id", sp, t.eos_id != d.eos_id},
      {"text.pad_id", sp, t.pad_id != d.pad_id},
      {"text.vocab", both, t.vocab != d.vocab},
      {"text.merges", bpe, t.merges != d.merges},
      {"text.lowercase", wp, t.lowercase != d.lowercase},
      {"text.strip_accents", wp, t.strip_accents != d.strip_accents},
      {"text.add_prefix_space", bpe, t.add_prefix_space != d.add_prefix_space},
      {"text.bos_token", both, t.bos_token != d.bos_token},
      {"text.eos_token", both, t.eos_token != d.eos_token},
      {"text.pad_token", both, t.pad_token != d.pad_token},
      {"text.unk_token", both, t.unk_token != d.unk_token},
      {"text.match_special_tokens", both, t.match_special_tokens != d.match_special_tokens}};
  for (const auto& [key, kinds, changed] : belongs)
    if (changed && options.was_set(key) && std::find(kinds.begin(), kinds.end(), t.kind) == kinds.end())
      throw InputError(key + " applies to text.tokenizer " + join(kinds, " or ") + ", not " + t.kind);
  const auto need = [&](const std::string& key, const std::string& path, const std::string& what) {
    if (path.empty()) throw InputError("text.tokenizer is " + t.kind + " but " + key + " is not set (" + what + ")");
    require_file(path, key);
  };
  if (t.kind == "sentencepiece") need("text.sentencepiece_model", t.sentencepiece_model, "the encoder's .model");
  if (t.kind == "wordpiece") need("text.vocab", t.vocab, "the encoder's vocab.txt");
  if (t.kind == "bpe") {
    need("text.vocab", t.vocab, "the encoder's vocab.json");
    need("text.merges", t.merges, "the encoder's merges.txt");
  }
  if (t.kind == "sentencepiece" && t.max_length < 1 + (t.bos_id >= 0) + (t.eos_id >= 0))
    throw InputError("text.max_length " + std::to_string(t.max_length) + " leaves no room for a token after BOS/EOS");
}

TokenizerConfig load_tokenizer_config(const std::string& file, const std::vector<std::string>& overrides) {
  ExtractConfig config;
  OptionSet options;
  declare_extract_options(options, config);
  apply_config_sources(options, file, overrides);
  check_tokenizer_options(options, config.text.tokenizer);
  return config.text.tokenizer;
}

std::string extract_config_yaml(const ExtractConfig& config) {
  ExtractConfig copy;
  OptionSet options;
  declare_extract_options(options, copy);
  // Re-apply the resolved values so the dump shows them all.
  copy = config;
  return options.to_yaml();
}

}  // namespace daf
