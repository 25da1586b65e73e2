#include "daf/audio/audio_file.h"

#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "container_audio.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

struct SndFileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndFile = std::unique_ptr<SNDFILE, SndFileCloser>;

void check_file(const std::string& path) {
  if (!std::filesystem::exists(path)) throw InputError(path + ": audio file not found");
  if (std::filesystem::is_regular_file(path) && std::filesystem::file_size(path) == 0)
    throw InputError(path + ": audio file is empty (0 bytes)");
}

// libsndfile's view of a file it opened: InputError when it holds no samples,
// is truncated or has an invalid header.
void check_sndfile(const std::string& path, SNDFILE* file, const SF_INFO& info) {
  if (info.frames <= 0) throw InputError(path + ": audio file holds no samples");
  // libsndfile decodes what a truncated file still holds without an error; its
  // log says "data : <announced> (should be <found>)" when the header
  // announces more audio than the file has.
  char log[2048] = {};
  sf_command(file, SFC_GET_LOG_INFO, log, sizeof log);
  const std::string text = log;
  const auto data = text.find("\ndata : ");
  if (data != std::string::npos) {
    const auto line_end = text.find('\n', data + 1);
    const std::string line = text.substr(data + 1, line_end == std::string::npos ? std::string::npos : line_end - data - 1);
    unsigned long long announced = 0, found = 0;
    // Streaming writers put a placeholder length (0x7FFFF000, 0xFFFFFFFF) in
    // the header: more than the file holds, but not a truncation.
    if (std::sscanf(line.c_str(), "data : %llu (should be %llu)", &announced, &found) == 2 && announced > found &&
        announced < 0x7FFF0000ULL)
      throw InputError(path + ": audio file is truncated: its header announces " + std::to_string(announced) +
                       " bytes of audio, the file holds " + std::to_string(found));
  }
  if (info.samplerate <= 0 || info.channels <= 0)
    throw InputError(path + ": invalid audio header (rate " + std::to_string(info.samplerate) + " Hz, " +
                     std::to_string(info.channels) + " channels)");
}

AudioInfo container_info(const ContainerAudio& audio) {
  return {audio.frames, audio.sample_rate, audio.channels, audio.stream, audio.audio_streams};
}

// The [first, last) frame range of a segment; InputError when it is empty.
std::pair<int64_t, int64_t> segment_frames(const std::string& path, const AudioInfo& info, double start, double end) {
  const double duration = info.seconds();
  if (start >= duration)
    throw InputError(path + ": start " + format_fixed(start, 3) + " s is at or beyond the end of the file (" +
                     format_fixed(duration, 3) + " s)");
  const int64_t first = std::max<int64_t>(0, static_cast<int64_t>(std::llround(start * info.sample_rate)));
  int64_t last = end > 0 ? static_cast<int64_t>(std::llround(end * info.sample_rate)) : info.frames;
  last = std::min(last, info.frames);
  if (last <= first)
    throw InputError(path + ": segment [" + format_fixed(start, 3) + ", " + format_fixed(end, 3) +
                     "] s holds no samples");
  return {first, last};
}

// The first `frames` frames of `interleaved`, checked, averaged to mono and
// resampled: the same for every decoder.
std::vector<float> mono_at_rate(const std::string& path, const std::vector<float>& interleaved, int64_t frames,
                                const AudioInfo& info, int target_rate) {
  // Float WAVs can hold NaN or Inf; one would make every feature of the utterance NaN.
  int64_t non_finite = 0;
  for (size_t i = 0; i < static_cast<size_t>(frames * info.channels); ++i) non_finite += !std::isfinite(interleaved[i]);
  if (non_finite > 0)
    throw InputError(path + ": " + std::to_string(non_finite) + " non-finite sample" + (non_finite == 1 ? "" : "s") +
                     " (NaN or Inf)");
  std::vector<float> mono(static_cast<size_t>(frames));
  for (int64_t i = 0; i < frames; ++i) {
    float sum = 0.0f;
    for (int c = 0; c < info.channels; ++c) sum += interleaved[static_cast<size_t>(i * info.channels + c)];
    mono[static_cast<size_t>(i)] = sum / static_cast<float>(info.channels);
  }
  return resample(mono, info.sample_rate, target_rate);
}

}  // namespace

AudioInfo probe_audio(const std::string& path) {
  check_file(path);
  SF_INFO sf_info{};
  SndFile file(sf_open(path.c_str(), SFM_READ, &sf_info));
  if (!file) return container_info(read_container_audio(path, false, sf_strerror(nullptr)));
  check_sndfile(path, file.get(), sf_info);
  return {sf_info.frames, sf_info.samplerate, sf_info.channels, "libsndfile"};
}

int64_t segment_samples(const std::string& path, const AudioInfo& info, double start, double end, int target_rate) {
  const auto [first, last] = segment_frames(path, info, start, end);
  return static_cast<int64_t>(std::llround(static_cast<double>(last - first) * target_rate / info.sample_rate));
}

std::vector<float> read_audio(const std::string& path, double start, double end, int target_rate) {
  check_file(path);
  SF_INFO sf_info{};
  SndFile file(sf_open(path.c_str(), SFM_READ, &sf_info));
  std::vector<float> interleaved;
  AudioInfo info;
  int64_t frames = 0;
  if (file) {
    check_sndfile(path, file.get(), sf_info);
    info = {sf_info.frames, sf_info.samplerate, sf_info.channels, "libsndfile"};
    const auto [first, last] = segment_frames(path, info, start, end);
    if (first > 0 && sf_seek(file.get(), first, SEEK_SET) < 0)
      throw InputError(path + ": cannot seek to " + format_fixed(start, 3) + " s: " + sf_strerror(file.get()));
    interleaved.resize(static_cast<size_t>((last - first) * info.channels));
    frames = sf_readf_float(file.get(), interleaved.data(), last - first);
    if (frames <= 0) throw InputError(path + ": cannot decode audio samples: " + sf_strerror(file.get()));
  } else {
    // The whole stream is decoded, then cut: seeking in compressed streams
    // lands on packet boundaries, and clips are short.
    ContainerAudio audio = read_container_audio(path, true, sf_strerror(nullptr));
    info = container_info(audio);
    const auto [first, last] = segment_frames(path, info, start, end);
    interleaved.assign(audio.interleaved.begin() + first * info.channels, audio.interleaved.begin() + last * info.channels);
    frames = last - first;
  }
  return mono_at_rate(path, interleaved, frames, info, target_rate);
}

std::vector<float> resample(const std::vector<float>& samples, int from_rate, int to_rate) {
  if (from_rate == to_rate || samples.empty()) return samples;
  const double ratio = static_cast<double>(to_rate) / from_rate;
  std::vector<float> out(static_cast<size_t>(std::ceil(samples.size() * ratio)) + 16);
  SRC_DATA data{};
  data.data_in = samples.data();
  data.input_frames = static_cast<long>(samples.size());
  data.data_out = out.data();
  data.output_frames = static_cast<long>(out.size());
  data.src_ratio = ratio;
  if (const int error = src_simple(&data, SRC_SINC_MEDIUM_QUALITY, 1); error != 0)
    throw RuntimeFailure(std::string("resampling failed: ") + src_strerror(error));
  out.resize(static_cast<size_t>(data.output_frames_gen));
  return out;
}

void write_wav(const std::string& path, const std::vector<float>& interleaved, int sample_rate, int channels) {
  AtomicOutput output(path);
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  {
    SndFile file(sf_open(output.temp_path().c_str(), SFM_WRITE, &info));
    if (!file) throw RuntimeFailure(path + ": cannot write WAV: " + sf_strerror(nullptr));
    const sf_count_t frames = static_cast<sf_count_t>(interleaved.size()) / channels;
    if (sf_writef_float(file.get(), interleaved.data(), frames) != frames)
      throw RuntimeFailure(path + ": cannot write WAV: " + sf_strerror(file.get()));
  }
  output.commit();
}

}  // namespace daf
