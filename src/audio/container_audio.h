#pragma once
// Audio of files libsndfile cannot open -- the audio stream of a video
// container (mp4, mkv, avi, webm, ...) or a compressed audio file -- through
// FFmpeg's libraries (libavformat, libavcodec, libswresample). Internal to
// audio/: read_audio and probe_audio call it when libsndfile fails.
#include <cstdint>
#include <string>
#include <vector>

namespace daf {

struct ContainerAudio {
  std::vector<float> interleaved;  // float samples, channels interleaved; empty when only counted
  int64_t frames = 0;              // samples per channel, counted by decoding (container durations are estimates)
  int sample_rate = 0;
  int channels = 0;
  std::string stream;  // which stream was chosen, e.g. "FFmpeg, audio stream #1 of 2 streams (aac, 48000 Hz, 2 channels)"
  int audio_streams = 0;
};

// Decodes the best audio stream of `path` (FFmpeg's choice: the default
// stream, else the first), keeping the samples when `keep_samples`.
// `sndfile_error` is libsndfile's reason, quoted when FFmpeg cannot open the
// file either. InputError naming the file when it cannot be opened, holds no
// audio stream, does not decode, holds no samples, or is shorter than its
// audio stream announces (a truncated file).
ContainerAudio read_container_audio(const std::string& path, bool keep_samples, const std::string& sndfile_error);

}  // namespace daf
