#pragma once
// Reading audio for speech encoders: libsndfile decodes (WAV, FLAC, OGG, ...),
// channels are averaged to mono, libsamplerate converts to the encoder's rate.
// Torch-free.
#include <cstdint>
#include <string>
#include <vector>

namespace daf {

struct AudioInfo {
  int64_t frames = 0;
  int sample_rate = 0;
  int channels = 0;
  double seconds() const { return sample_rate > 0 ? static_cast<double>(frames) / sample_rate : 0.0; }
};

// Header of an audio file. InputError naming the file when it is missing,
// undecodable or holds no samples.
AudioInfo probe_audio(const std::string& path);

// Mono samples of the segment [start, end) in seconds (end <= 0: to the end of
// the file; an end past the file is clamped to it) at `target_rate` Hz.
// InputError when start is at or beyond the end of the file, or when the segment
// holds non-finite samples ("x.wav: 12 non-finite samples (NaN or Inf)").
std::vector<float> read_audio(const std::string& path, double start, double end, int target_rate);

// Band-limited sample-rate conversion (libsamplerate, sinc, medium quality).
std::vector<float> resample(const std::vector<float>& samples, int from_rate, int to_rate);

// Number of samples read_audio returns for a segment, without decoding it;
// the same InputError as read_audio for an empty segment.
int64_t segment_samples(const std::string& path, const AudioInfo& info, double start, double end, int target_rate);

// Writes 16-bit PCM WAV (interleaved when channels > 1), atomically. For tests and demos.
void write_wav(const std::string& path, const std::vector<float>& interleaved, int sample_rate, int channels);

}  // namespace daf
