#include "passes.h"

#include <cmath>
#include <spdlog/spdlog.h>

#include "daf/util/error.h"
#include "daf/util/logging.h"
#include "daf/util/progress.h"
#include "daf/util/strings.h"

namespace daf::extract {

void Checkpointer::maybe_save(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && std::chrono::duration<double>(now - last_).count() < interval_) return;
  write_partial(path_, results_);
  last_ = now;
}

ProgressLog::ProgressLog(std::string label, int64_t total, double total_work, std::string work_unit)
    : label_(std::move(label)), total_(total), total_work_(total_work), work_unit_(std::move(work_unit)),
      enabled_(!stderr_is_terminal()), start_(std::chrono::steady_clock::now()), last_(start_) {}

void ProgressLog::update(int64_t done, double work_done) {
  const auto now = std::chrono::steady_clock::now();
  if (!enabled_ || std::chrono::duration<double>(now - last_).count() < 60.0 || done <= 0) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const bool by_work = total_work_ > 0 && work_done >= 0;
  const double left = by_work ? remaining_seconds(elapsed, work_done, total_work_)
                              : remaining_seconds(elapsed, static_cast<double>(done), static_cast<double>(total_));
  spdlog::info("{}: {}/{} done, {:.0f} s elapsed, about {:.0f} s to go{}", label_, done, total_, elapsed, left,
               by_work ? " (from the " + work_unit_ + " left)" : std::string());
}

bool all_finite(const float* values, int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    if (!std::isfinite(values[i])) return false;
  return true;
}

ModalityResults& PassContext::results(const std::string& modality, int64_t dims) {
  ModalityResults& r = partial.modalities[modality];
  if (r.dims != 0 && r.dims != dims)
    throw InputError(partial_path(config.shard_output()) + ": holds " + std::to_string(r.dims) + "-dim " + modality +
                     " embeddings but the encoder gives " + std::to_string(dims) + "; delete it to start over");
  r.dims = dims;
  return r;
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
    text += ", " + format_fixed(audio_seconds, 1) + " s of audio, " + format_fixed(audio_seconds / s, 1) +
            " s of audio per second";
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
