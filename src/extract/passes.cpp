#include "passes.h"

#include <spdlog/spdlog.h>

#include "daf/util/strings.h"

namespace daf::extract {

void Checkpointer::maybe_save(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && std::chrono::duration<double>(now - last_).count() < interval_) return;
  write_partial(path_, results_);
  last_ = now;
}

void PassContext::skip(const std::string& modality, const Utterance& row, const std::string& reason,
                       PassStats& stats) {
  problems.check(reason);
  partial.modalities[modality].skipped.push_back({row.id, modality, reason});
  ++stats.skipped;
  spdlog::warn("skipped ({}): {}", modality, reason);
}

std::string PassStats::summary(bool bucketing) const {
  const double s = seconds > 0 ? seconds : 1e-9;
  std::string text = modality + ": " + std::to_string(utterances) + " utterances in " + std::to_string(batches) +
                     " batches, " + format_fixed(seconds, 2) + " s (" + format_fixed(utterances / s, 1) +
                     " utterances/s";
  if (audio_seconds > 0)
    text += ", " + format_fixed(audio_seconds / s, 1) + " s of audio per second";
  else
    text += ", " + format_fixed(tokens / s, 0) + " tokens/s";
  text += "); padding efficiency " + format_fixed(100.0 * padding.efficiency(), 1) + "% (" +
          (bucketing ? "length-bucketed" : "manifest order") + ")";
  if (truncated) text += "; " + std::to_string(truncated) + " truncated to max_length";
  if (chunked) text += "; " + std::to_string(chunked) + " encoded in chunks";
  if (resumed) text += "; " + std::to_string(resumed) + " already done by an earlier run";
  if (skipped) text += "; " + std::to_string(skipped) + " skipped";
  return text;
}

}  // namespace daf::extract
