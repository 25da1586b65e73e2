#pragma once
// Reading audio for speech encoders: libsndfile decodes (WAV, FLAC, OGG, ...);
// what it cannot open (the audio stream of an mp4, mkv, avi or webm video, an
// mp3 or m4a) FFmpeg's libraries decode, where daf was built with them.
// Channels are averaged to mono, libsamplerate converts to the encoder's rate.
// Torch-free.
#include <cstdint>
#include <string>
#include <vector>

namespace daf {

struct AudioInfo {
  int64_t frames = 0;
  int sample_rate = 0;
  int channels = 0;
  // What decodes the file: "libsndfile", or FFmpeg and the stream it chose,
  // e.g. "FFmpeg, audio stream #1 of 2 streams (aac, 48000 Hz, 2 channels)".
  std::string decoder;
  int audio_streams = 1;  // audio streams in the file; the decoder names the one read
  double seconds() const { return sample_rate > 0 ? static_cast<double>(frames) / sample_rate : 0.0; }
};

// Header of an audio file. InputError naming the file when it is missing,
// undecodable, holds no samples or no audio stream. A file FFmpeg reads is
// decoded once to count its samples: container durations are estimates.
AudioInfo probe_audio(const std::string& path);

// Mono samples of the segment [start, end) in seconds (end <= 0: to the end of
// the file; an end past the file is clamped to it) at `target_rate` Hz.
// InputError when start is at or beyond the end of the file, or when the segment
// holds non-finite samples ("x.wav: 12 non-finite samples (NaN or Inf)").
std::vector<float> read_audio(const std::string& path, double start, double end, int target_rate);

// Whether this daf was built with FFmpeg's libraries (CMake's DAF_FFMPEG),
// which read the audio of video containers.
bool reads_video_containers();

// Band-limited sample-rate conversion (libsamplerate, sinc, medium quality).
std::vector<float> resample(const std::vector<float>& samples, int from_rate, int to_rate);

// Number of samples read_audio returns for a segment, without decoding it;
// the same InputError as read_audio for an empty segment.
int64_t segment_samples(const std::string& path, const AudioInfo& info, double start, double end, int target_rate);

// Writes 16-bit PCM WAV (interleaved when channels > 1), atomically. For tests and demos.
void write_wav(const std::string& path, const std::vector<float>& interleaved, int sample_rate, int channels);

}  // namespace daf
