// The speech pass: decode, downmix, resample, cut -> TorchScript speech encoder
// -> mean over the valid frames of all of an utterance's chunks.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include "daf/audio/audio_file.h"
#include "daf/encoders/speech_encoder.h"
#include "daf/util/error.h"
#include "daf/util/progress.h"
#include "daf/util/sha256.h"
#include "daf/util/strings.h"
#include "passes.h"

namespace daf::extract {
namespace {

struct Chunk {
  size_t utterance;  // index into the pending list
  int64_t offset;    // samples
  int64_t length;
};

// Running frame sums of an utterance whose chunks are not all encoded yet.
struct Accumulator {
  std::vector<double> sums;
  int64_t frames = 0;
  int64_t chunks_left = 0;
  std::vector<float> waveform;  // decoded once, kept until the last chunk is encoded
  bool decoded = false;
  bool failed = false;
};

WaveBatch probe_batch(int64_t sample_rate) {
  // One second and half a second of quiet noise: two rows of different length.
  WaveBatch batch;
  batch.rows = 2;
  batch.length = sample_rate;
  batch.samples.resize(static_cast<size_t>(2 * sample_rate));
  uint32_t state = 12345;
  for (auto& s : batch.samples) {
    state = state * 1664525u + 1013904223u;
    s = 0.01f * (static_cast<float>(state >> 8) / 16777216.0f - 0.5f);
  }
  std::fill(batch.samples.begin() + sample_rate + sample_rate / 2, batch.samples.end(), 0.0f);
  batch.lengths = {sample_rate, sample_rate / 2};
  return batch;
}

int64_t resolve_sample_rate(const SpeechEncoderConfig& config, const SpeechEncoder& encoder) {
  const int64_t from_module = encoder.module_sample_rate();
  if (config.sample_rate > 0) {
    if (from_module > 0 && from_module != config.sample_rate)
      spdlog::warn("audio.sample_rate {} differs from the encoder's sample_rate attribute {}; using {}",
                   config.sample_rate, from_module, config.sample_rate);
    return config.sample_rate;
  }
  if (from_module <= 0)
    throw InputError(config.encoder + ": the module has no integer attribute 'sample_rate'; set audio.sample_rate");
  return from_module;
}

// Which files came out of video containers, and which stream of each: named
// in the log, a warning where a file offers several audio streams.
class ContainerLog {
 public:
  void add(const std::string& path, const AudioInfo& info) {
    if (info.decoder == "libsndfile") return;
    ++files_;
    spdlog::debug("{}: {}", path, info.decoder);
    if (example_.empty()) example_ = path + ": " + info.decoder;
    if (info.audio_streams > 1 && ++several_ <= 3)
      spdlog::warn("{} holds {} audio streams; daf reads {} (FFmpeg's choice: the default stream)", path,
                   info.audio_streams, info.decoder);
  }
  void finish() const {
    if (files_ == 0) return;
    spdlog::info("audio: {} file{} read through FFmpeg (libsndfile cannot open {}), e.g. {}", files_,
                 files_ == 1 ? "" : "s", files_ == 1 ? "it" : "them", example_);
    if (several_ > 3) spdlog::warn("audio: {} files hold several audio streams (3 named above)", several_);
  }

 private:
  int64_t files_ = 0, several_ = 0;
  std::string example_;
};

}  // namespace

SpeechModels load_speech_models(const ExtractConfig& extract_config) {
  const SpeechEncoderConfig& config = extract_config.audio;
  SpeechModels models;
  models.encoder = std::make_unique<SpeechEncoder>(config.encoder, extract_config.device);
  models.sample_rate = resolve_sample_rate(config, *models.encoder);
  models.dims = models.encoder->check_contract(probe_batch(models.sample_rate));
  models.attributes = {{"encoder", std::filesystem::path(config.encoder).filename().string()},
                       {"encoder_sha256", sha256_file(config.encoder)},
                       {"pooling", "mean over valid frames of all chunks"},
                       {"sample_rate", std::to_string(models.sample_rate)},
                       {"max_seconds", format_number(config.max_seconds)},
                       {"source", "daf-extract"}};
  return models;
}

PassStats run_speech_pass(PassContext& context, SpeechModels& models) {
  const SpeechEncoderConfig& config = context.config.audio;
  PassStats stats;
  stats.modality = config.modality;
  SpeechEncoder& encoder = *models.encoder;
  const int64_t rate = models.sample_rate;
  const int64_t dims = models.dims;
  ModalityResults& results = context.results(config.modality, dims);

  // Every header is read before the run, so a missing file or a start past the
  // end fails (or is skipped) at once, not hours in.
  const auto finished = context.partial.finished_ids(config.modality);
  const auto max_samples = static_cast<int64_t>(std::llround(config.max_seconds * rate));
  std::vector<const Utterance*> pending;
  std::vector<Chunk> chunks;
  ContainerLog containers;
  for (const Utterance* row : context.rows) {
    if (finished.count(row->id)) {
      ++stats.resumed;
      continue;
    }
    const std::string where = row->where + " (id '" + row->id + "'): ";
    if (row->audio.empty()) {
      context.skip(config.modality, *row, where + "no audio file", stats);
      continue;
    }
    int64_t samples = 0;
    try {
      const AudioInfo info = probe_audio(row->audio);
      containers.add(row->audio, info);
      samples = segment_samples(row->audio, info, row->start, row->end, static_cast<int>(rate));
    } catch (const InputError& e) {
      context.skip(config.modality, *row, where + e.what(), stats);
      continue;
    }
    const int64_t count = std::max<int64_t>(1, (samples + max_samples - 1) / max_samples);
    const int64_t chunk_length = (samples + count - 1) / count;
    stats.chunked += count > 1;
    for (int64_t c = 0; c < count; ++c)
      chunks.push_back({pending.size(), c * chunk_length, std::min(chunk_length, samples - c * chunk_length)});
    pending.push_back(row);
  }
  containers.finish();

  std::vector<int64_t> lengths;
  for (const auto& c : chunks) lengths.push_back(c.length);
  const auto max_padded = static_cast<int64_t>(std::llround(config.batch_seconds * rate));
  const auto batches = make_batches(lengths, {config.batch_size, max_padded}, context.config.bucketing);

  std::unordered_map<size_t, Accumulator> open;
  for (const auto& c : chunks) ++open[c.utterance].chunks_left;
  const auto start = std::chrono::steady_clock::now();
  // Time left is estimated from seconds of audio: longest-first batches make the first
  // chunks far slower than the last, so counts alone were 3-6x too pessimistic early.
  double total_samples = 0, done_samples = 0;
  for (const auto& c : chunks) total_samples += static_cast<double>(c.length);
  ProgressBar bar("audio", static_cast<long>(chunks.size()), total_samples);
  ProgressLog progress_log("audio", static_cast<int64_t>(chunks.size()), total_samples, "seconds of audio");
  for (const auto& batch_items : batches) {
    WaveBatch batch;
    std::vector<int64_t> kept;  // chunks whose audio decoded
    for (const int64_t i : batch_items) {
      const Chunk& chunk = chunks[static_cast<size_t>(i)];
      Accumulator& acc = open[chunk.utterance];
      const Utterance& row = *pending[chunk.utterance];
      if (!acc.decoded && !acc.failed) {
        try {
          acc.waveform = read_audio(row.audio, row.start, row.end, static_cast<int>(rate));
        } catch (const InputError& e) {
          acc.failed = true;
          context.skip(config.modality, row, row.where + " (id '" + row.id + "'): " + e.what(), stats);
        }
        acc.decoded = true;
      }
      if (acc.failed) continue;
      kept.push_back(i);
    }
    for (const int64_t i : kept) batch.length = std::max(batch.length, lengths[static_cast<size_t>(i)]);
    batch.rows = static_cast<int64_t>(kept.size());
    batch.samples.assign(static_cast<size_t>(batch.rows * batch.length), 0.0f);
    for (size_t r = 0; r < kept.size(); ++r) {
      const Chunk& chunk = chunks[static_cast<size_t>(kept[r])];
      const auto& wave = open[chunk.utterance].waveform;
      const int64_t available = std::clamp<int64_t>(static_cast<int64_t>(wave.size()) - chunk.offset, 0, chunk.length);
      std::copy_n(wave.begin() + std::min<int64_t>(chunk.offset, static_cast<int64_t>(wave.size())), available,
                  batch.samples.begin() + static_cast<int64_t>(r) * batch.length);
      batch.lengths.push_back(std::max<int64_t>(1, chunk.length));
    }
    if (batch.rows > 0) {
      const FrameSums out = encoder.encode(batch);
      for (size_t r = 0; r < kept.size(); ++r) {
        const Chunk& chunk = chunks[static_cast<size_t>(kept[r])];
        Accumulator& acc = open[chunk.utterance];
        acc.sums.resize(static_cast<size_t>(dims), 0.0);
        for (int64_t d = 0; d < dims; ++d) acc.sums[static_cast<size_t>(d)] += out.sums.row(static_cast<int64_t>(r))[d];
        acc.frames += out.frames[r];
      }
      stats.padding.add(kept, lengths);
      ++stats.batches;
      stats.items += batch.rows;
    }
    // Utterances whose last chunk was in this batch are finished.
    for (const int64_t i : batch_items) {
      const size_t u = chunks[static_cast<size_t>(i)].utterance;
      Accumulator& acc = open[u];
      if (--acc.chunks_left > 0) continue;
      if (!acc.failed) {
        std::vector<float> mean(static_cast<size_t>(dims));
        for (int64_t d = 0; d < dims; ++d)
          mean[static_cast<size_t>(d)] = static_cast<float>(acc.sums[static_cast<size_t>(d)] / std::max<int64_t>(1, acc.frames));
        if (!all_finite(mean.data(), dims)) {
          context.skip(config.modality, *pending[u], pending[u]->where + " (id '" + pending[u]->id +
                       "'): the speech encoder gave non-finite features (NaN or Inf)", stats);
          open.erase(u);
          continue;
        }
        results.add(pending[u]->id, mean.data(), dims);
        ++stats.utterances;
        stats.audio_seconds += static_cast<double>(acc.waveform.size()) / rate;
      }
      open.erase(u);
    }
    for (const int64_t i : batch_items) done_samples += static_cast<double>(lengths[static_cast<size_t>(i)]);
    bar.update(static_cast<long>(stats.items), done_samples);
    progress_log.update(stats.items, done_samples);
    context.checkpoint.maybe_save();
  }
  bar.finish();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stats.attributes = models.attributes;
  return stats;
}

}  // namespace daf::extract
