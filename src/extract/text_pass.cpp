// The text pass: token ids (sentencepiece, WordPiece or byte-level BPE) -> TorchScript
// text encoder -> pooled vectors.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "daf/encoders/text_encoder.h"
#include "daf/text/tokenizer.h"
#include "daf/util/error.h"
#include "daf/util/progress.h"
#include "daf/util/sha256.h"
#include "daf/util/strings.h"
#include "passes.h"

namespace daf::extract {
namespace {

TokenBatch make_token_batch(const std::vector<const std::vector<int64_t>*>& texts, int64_t pad_id) {
  TokenBatch batch;
  batch.rows = static_cast<int64_t>(texts.size());
  for (const auto* ids : texts) batch.length = std::max(batch.length, static_cast<int64_t>(ids->size()));
  batch.ids.assign(static_cast<size_t>(batch.rows * batch.length), pad_id);
  batch.mask.assign(batch.ids.size(), 0);
  for (int64_t r = 0; r < batch.rows; ++r)
    for (size_t t = 0; t < texts[static_cast<size_t>(r)]->size(); ++t) {
      batch.ids[static_cast<size_t>(r * batch.length) + t] = (*texts[static_cast<size_t>(r)])[t];
      batch.mask[static_cast<size_t>(r * batch.length) + t] = 1;
    }
  return batch;
}

}  // namespace

TextModels load_text_models(const ExtractConfig& extract_config) {
  const TextEncoderConfig& config = extract_config.text;
  TextModels models;
  models.tokenizer = load_tokenizer(config.tokenizer);
  const Tokenizer& tokenizer = *models.tokenizer;
  const std::string tokenizer_file = tokenizer.files().front().second;
  models.encoder = std::make_unique<TextEncoder>(config.encoder, config.pooling, extract_config.device);

  // Before any real work: the tokenizer's largest id (a vocabulary of another model fails here,
  // not mid-run), then the contract on a probe batch (two texts of different length).
  models.encoder->check_vocabulary(tokenizer.vocab_size(), tokenizer_file);
  const auto probe_a = tokenizer.encode("a probe sentence").ids;
  const auto probe_b = tokenizer.encode("probe").ids;
  models.dims = models.encoder->check_contract(make_token_batch({&probe_a, &probe_b}, tokenizer.pad_id()));
  spdlog::info("text: {} tokenizer ({}, {} ids), encoder with {} inputs", config.tokenizer.kind, tokenizer_file,
               tokenizer.vocab_size(), models.encoder->inputs());
  models.attributes = {{"encoder", std::filesystem::path(config.encoder).filename().string()},
                       {"encoder_sha256", sha256_file(config.encoder)},
                       {"tokenizer", std::filesystem::path(tokenizer_file).filename().string()},
                       {"tokenizer_sha256", sha256_file(tokenizer_file)},
                       {"tokenizer_fingerprint", tokenizer_fingerprint_digest(config.tokenizer)},
                       {"tokenizer_kind", config.tokenizer.kind},
                       {"pooling", config.pooling},
                       {"max_length", std::to_string(config.tokenizer.max_length)},
                       {"source", "daf-extract"}};
  if (config.tokenizer.kind == "bpe") {
    const std::string merges = tokenizer.files().back().second;
    models.attributes["tokenizer_merges"] = std::filesystem::path(merges).filename().string();
    models.attributes["tokenizer_merges_sha256"] = sha256_file(merges);
  }
  return models;
}

PassStats run_text_pass(PassContext& context, TextModels& models) {
  const TextEncoderConfig& config = context.config.text;
  PassStats stats;
  stats.modality = config.modality;
  const Tokenizer& tokenizer = *models.tokenizer;
  TextEncoder& encoder = *models.encoder;
  const int64_t dims = models.dims;
  ModalityResults& results = context.results(config.modality, dims);

  const auto finished = context.partial.finished_ids(config.modality);
  std::vector<const Utterance*> pending;
  std::vector<std::vector<int64_t>> ids;
  for (const Utterance* row : context.rows) {
    if (finished.count(row->id)) {
      ++stats.resumed;
      continue;
    }
    if (trim(row->text).empty()) {
      context.skip(config.modality, *row, row->where + " (id '" + row->id + "'): empty text", stats);
      continue;
    }
    size_t bad_byte = 0;
    if (!is_valid_utf8(row->text, &bad_byte)) {
      context.skip(config.modality, *row, row->where + " (id '" + row->id + "'): the text is not valid UTF-8 (byte " +
                   std::to_string(bad_byte) + ")", stats);
      continue;
    }
    Encoding tokens = tokenizer.encode(row->text);
    if (tokens.text_tokens == 0) {
      context.skip(config.modality, *row, row->where + " (id '" + row->id + "'): the text has no tokens", stats);
      continue;
    }
    ids.push_back(std::move(tokens.ids));
    stats.truncated += tokens.truncated;
    pending.push_back(row);
  }

  std::vector<int64_t> lengths;
  for (const auto& t : ids) lengths.push_back(static_cast<int64_t>(t.size()));
  const auto batches =
      make_batches(lengths, {config.batch_size, config.batch_tokens}, context.config.bucketing);
  const auto start = std::chrono::steady_clock::now();
  double total_tokens = 0, done_tokens = 0;  // the time left comes from tokens, as for audio from seconds
  for (const int64_t n : lengths) total_tokens += static_cast<double>(n);
  ProgressBar bar("text", static_cast<long>(pending.size()), total_tokens);
  ProgressLog progress_log("text", static_cast<int64_t>(pending.size()), total_tokens, "tokens");
  for (const auto& batch_rows : batches) {
    std::vector<const std::vector<int64_t>*> texts;
    for (const int64_t i : batch_rows) texts.push_back(&ids[static_cast<size_t>(i)]);
    const FeatureMatrix pooled = encoder.encode(make_token_batch(texts, tokenizer.pad_id()));
    for (size_t b = 0; b < batch_rows.size(); ++b) {
      const Utterance& row = *pending[static_cast<size_t>(batch_rows[b])];
      const float* vector = pooled.row(static_cast<int64_t>(b));
      if (all_finite(vector, dims))
        results.add(row.id, vector, dims);
      else
        context.skip(config.modality, row, row.where + " (id '" + row.id + "'): the text encoder gave non-finite "
                     "features (NaN or Inf)", stats);
    }
    stats.padding.add(batch_rows, lengths);
    stats.utterances += static_cast<int64_t>(batch_rows.size());
    ++stats.batches;
    for (const int64_t i : batch_rows) done_tokens += static_cast<double>(lengths[static_cast<size_t>(i)]);
    bar.update(static_cast<long>(stats.utterances), done_tokens);
    progress_log.update(stats.utterances, done_tokens);
    context.checkpoint.maybe_save();
  }
  bar.finish();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stats.items = stats.utterances;
  stats.tokens = stats.padding.useful;
  stats.attributes = models.attributes;
  return stats;
}

}  // namespace daf::extract
