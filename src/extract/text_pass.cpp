// The text pass: sentencepiece ids -> TorchScript text encoder -> pooled vectors.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "daf/encoders/text_encoder.h"
#include "daf/text/sentencepiece_tokenizer.h"
#include "daf/util/error.h"
#include "daf/util/progress.h"
#include "daf/util/sha256.h"
#include "daf/util/strings.h"
#include "passes.h"

namespace daf::extract {
namespace {

std::vector<int64_t> token_ids(const SentencePieceTokenizer& tokenizer, const TextEncoderConfig& config,
                               const std::string& text, bool& truncated) {
  std::vector<int64_t> ids;
  if (config.bos_id >= 0) ids.push_back(config.bos_id);
  for (const int id : tokenizer.encode(text)) ids.push_back(id);
  const auto room = static_cast<size_t>(config.max_length - (config.eos_id >= 0 ? 1 : 0));
  truncated = ids.size() > room;
  if (truncated) ids.resize(room);
  if (config.eos_id >= 0) ids.push_back(config.eos_id);
  return ids;
}

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

PassStats run_text_pass(PassContext& context) {
  const TextEncoderConfig& config = context.config.text;
  PassStats stats;
  stats.modality = config.modality;
  const auto tokenizer = SentencePieceTokenizer::load(config.tokenizer);
  TextEncoder encoder(config.encoder, config.pooling, context.config.device);

  // The contract is checked on a probe batch (two texts of different length) before any real work.
  bool ignored = false;
  const auto probe_a = token_ids(tokenizer, config, "a probe sentence", ignored);
  const auto probe_b = token_ids(tokenizer, config, "probe", ignored);
  const int64_t dims = encoder.check_contract(make_token_batch({&probe_a, &probe_b}, config.pad_id));
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
    bool truncated = false;
    auto tokens = token_ids(tokenizer, config, row->text, truncated);
    if (tokens.empty()) {
      context.skip(config.modality, *row, row->where + " (id '" + row->id + "'): the text has no tokens", stats);
      continue;
    }
    ids.push_back(std::move(tokens));
    stats.truncated += truncated;
    pending.push_back(row);
  }

  std::vector<int64_t> lengths;
  for (const auto& t : ids) lengths.push_back(static_cast<int64_t>(t.size()));
  const auto batches =
      make_batches(lengths, {config.batch_size, config.batch_tokens}, context.config.bucketing);
  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar("text", static_cast<long>(pending.size()));
  ProgressLog progress_log("text", static_cast<int64_t>(pending.size()));
  for (const auto& batch_rows : batches) {
    std::vector<const std::vector<int64_t>*> texts;
    for (const int64_t i : batch_rows) texts.push_back(&ids[static_cast<size_t>(i)]);
    const FeatureMatrix pooled = encoder.encode(make_token_batch(texts, config.pad_id));
    for (size_t b = 0; b < batch_rows.size(); ++b)
      results.add(pending[static_cast<size_t>(batch_rows[b])]->id, pooled.row(static_cast<int64_t>(b)), dims);
    stats.padding.add(batch_rows, lengths);
    stats.utterances += static_cast<int64_t>(batch_rows.size());
    ++stats.batches;
    bar.update(static_cast<long>(stats.utterances));
    progress_log.update(stats.utterances);
    context.checkpoint.maybe_save();
  }
  bar.finish();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stats.items = stats.utterances;
  stats.tokens = stats.padding.useful;
  stats.attributes = {{"encoder", std::filesystem::path(config.encoder).filename().string()},
                      {"encoder_sha256", sha256_file(config.encoder)},
                      {"tokenizer", std::filesystem::path(config.tokenizer).filename().string()},
                      {"tokenizer_sha256", sha256_file(config.tokenizer)},
                      {"pooling", config.pooling},
                      {"max_length", std::to_string(config.max_length)},
                      {"source", "daf-extract"}};
  return stats;
}

}  // namespace daf::extract
