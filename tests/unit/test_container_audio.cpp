// Audio from video containers (FFmpeg's libraries behind read_audio), against
// files Debian's ffmpeg makes here from a WAV. What is compared:
//  - lossless codecs (FLAC in mkv, 16-bit PCM in avi): daf's samples equal
//    libsndfile's reading of the source WAV exactly, resampled or not;
//  - lossy codecs (AAC in mp4, MP3 in mkv, Opus in webm/mkv): daf's samples equal the
//    ffmpeg program's own decoding of the same file (raw float output,
//    channels averaged here) bit for bit, and stay close to the source WAV
//    (signal-to-noise ratio at the best alignment, the shift each container
//    implies, length within a codec frame).
#include "catch.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "daf/audio/audio_file.h"
#include "daf/util/error.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using daf::test::TempDir;

namespace {

bool have_ffmpeg() { return std::system("ffmpeg -version >/dev/null 2>&1") == 0; }

void ffmpeg(const std::string& arguments) {
  const std::string command = "ffmpeg -nostdin -v error -y " + arguments + " 2>&1";
  INFO(command);
  REQUIRE(std::system(command.c_str()) == 0);
}

// A stereo test signal whose channels differ (so averaging is checked):
// tones, a chirp and an amplitude envelope, at half scale.
std::vector<float> stereo_signal(int rate, double seconds) {
  const auto frames = static_cast<size_t>(rate * seconds);
  std::vector<float> out(2 * frames);
  for (size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double envelope = 0.5 + 0.4 * std::sin(2 * M_PI * 1.5 * t);
    out[2 * i] = static_cast<float>(0.5 * envelope * std::sin(2 * M_PI * (220 + 300 * t) * t));
    out[2 * i + 1] = static_cast<float>(0.3 * std::sin(2 * M_PI * 660 * t) + 0.15 * std::sin(2 * M_PI * 97 * t));
  }
  return out;
}

// The ffmpeg program's decoding of `path`: native rate and channels, float, channels averaged.
std::vector<float> ffmpeg_mono(const std::string& path, const TempDir& dir) {
  const std::string raw = dir.file("decoded.f32");
  ffmpeg("-i " + path + " -map 0:a:0 -f f32le -c:a pcm_f32le " + raw);
  std::ifstream in(raw, std::ios::binary);
  std::vector<float> interleaved;
  float value;
  while (in.read(reinterpret_cast<char*>(&value), sizeof value)) interleaved.push_back(value);
  std::vector<float> mono(interleaved.size() / 2);
  for (size_t i = 0; i < mono.size(); ++i) mono[i] = (interleaved[2 * i] + interleaved[2 * i + 1]) / 2.0f;
  return mono;
}

double largest_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double largest = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    largest = std::max(largest, std::abs(static_cast<double>(a[i]) - b[i]));
  return largest;
}

// Signal-to-noise ratio of `decoded` against `reference` in dB at the best lag
// within +-max_lag samples (codecs may shift the signal by their delay).
std::pair<double, int> best_snr(const std::vector<float>& reference, const std::vector<float>& decoded, int max_lag) {
  double best = -1e9;
  int best_lag = 0;
  for (int lag = -max_lag; lag <= max_lag; ++lag) {
    double signal = 0, noise = 0;
    for (size_t i = 2048; i + 2048 < reference.size(); ++i) {
      const auto j = static_cast<int64_t>(i) + lag;
      if (j < 0 || j >= static_cast<int64_t>(decoded.size())) continue;
      signal += static_cast<double>(reference[i]) * reference[i];
      const double d = static_cast<double>(decoded[static_cast<size_t>(j)]) - reference[i];
      noise += d * d;
    }
    const double snr = 10 * std::log10(signal / std::max(noise, 1e-30));
    if (snr > best) best = snr, best_lag = lag;
  }
  return {best, best_lag};
}

}  // namespace

TEST_CASE("a build without FFmpeg names what video files need", "[audio][containers]") {
  if (daf::reads_video_containers()) return;  // the other cases run instead
  TempDir dir;
  std::ofstream(dir.file("clip.mp4")) << "not audio libsndfile knows";
  CHECK_THROWS_WITH(daf::probe_audio(dir.file("clip.mp4")), ContainsSubstring("built without FFmpeg"));
}

TEST_CASE("lossless audio in video containers decodes to exactly the WAV's samples", "[audio][containers]") {
  if (!daf::reads_video_containers()) return;
  REQUIRE(have_ffmpeg());  // scripts/install-deps.sh installs Debian's ffmpeg
  TempDir dir;
  for (const int rate : {44100, 48000}) {
    const std::string wav = dir.file("source.wav");
    daf::write_wav(wav, stereo_signal(rate, 2.0), rate, 2);
    const auto reference = daf::read_audio(wav, 0, 0, rate);
    const auto reference_16k = daf::read_audio(wav, 0, 0, 16000);
    const auto segment = daf::read_audio(wav, 0.5, 1.25, 16000);
    for (const auto& [file, codec] : {std::pair{"flac.mkv", "-c:a flac"}, {"pcm.avi", "-c:a pcm_s16le"},
                                      {"alac.m4a", "-c:a alac"}}) {
      INFO(file << " at " << rate << " Hz");
      ffmpeg("-i " + wav + " " + codec + " " + dir.file(file));
      const auto info = daf::probe_audio(dir.file(file));
      CHECK(info.frames == static_cast<int64_t>(rate * 2.0));
      CHECK(info.sample_rate == rate);
      CHECK(info.channels == 2);
      CHECK_THAT(info.decoder, ContainsSubstring("FFmpeg, audio stream #0 of 1 stream"));
      CHECK(daf::read_audio(dir.file(file), 0, 0, rate) == reference);
      CHECK(daf::read_audio(dir.file(file), 0, 0, 16000) == reference_16k);
      CHECK(daf::read_audio(dir.file(file), 0.5, 1.25, 16000) == segment);
      CHECK(daf::segment_samples(dir.file(file), info, 0.5, 1.25, 16000) == static_cast<int64_t>(segment.size()));
    }
  }
}

TEST_CASE("lossy audio in video containers decodes as the ffmpeg program does, close to the WAV",
          "[audio][containers]") {
  if (!daf::reads_video_containers()) return;
  REQUIRE(have_ffmpeg());
  TempDir dir;
  struct Case {
    const char* file;
    const char* codec;
    int rate;        // of the source WAV
    int coded_rate;  // what the codec stores (Opus: 48 kHz always)
    double min_snr;  // dB against the source
    int lag;         // samples the decoded signal is late by
  };
  // MP3 in Matroska keeps LAME's 1,105-sample encoder delay: the container
  // has no field for it (an .mp3 file's LAME header does; libsndfile reads those).
  for (const Case& c : {Case{"aac.mp4", "-c:a aac -b:a 192k", 48000, 48000, 25, 0},
                        Case{"aac44.mp4", "-c:a aac -b:a 192k", 44100, 44100, 25, 0},
                        Case{"mp3.mkv", "-c:a libmp3lame -b:a 192k", 44100, 44100, 25, 1105},
                        Case{"opus.webm", "-c:a libopus -b:a 160k", 48000, 48000, 20, 0},
                        Case{"opus44.mkv", "-c:a libopus -b:a 160k", 44100, 48000, 15, 0}}) {
    INFO(c.file);
    const std::string wav = dir.file("source.wav");
    daf::write_wav(wav, stereo_signal(c.rate, 2.0), c.rate, 2);
    ffmpeg("-i " + wav + " " + c.codec + " " + dir.file(c.file));
    const auto info = daf::probe_audio(dir.file(c.file));
    CHECK_THAT(info.decoder, ContainsSubstring("FFmpeg, audio stream #0"));
    CHECK(info.sample_rate == c.coded_rate);
    CHECK(info.channels == 2);
    const auto decoded = daf::read_audio(dir.file(c.file), 0, 0, c.coded_rate);
    CHECK(static_cast<int64_t>(decoded.size()) == info.frames);
    const auto program = ffmpeg_mono(dir.file(c.file), dir);
    INFO("daf: " << decoded.size() << " samples, ffmpeg: " << program.size() << ", largest difference "
                 << largest_difference(decoded, program));
    // The same libraries decode both: bit-identical.
    CHECK(decoded.size() == program.size());
    CHECK(largest_difference(decoded, program) == 0);
    // Against the source, at the codec's rate.
    const auto reference = daf::read_audio(wav, 0, 0, c.coded_rate);
    const auto [snr, lag] = best_snr(reference, decoded, 1200);
    INFO("SNR " << snr << " dB at lag " << lag << ", " << decoded.size() << " vs " << reference.size() << " samples");
    CHECK(snr >= c.min_snr);
    CHECK(lag == c.lag);
    CHECK(std::abs(static_cast<int64_t>(decoded.size()) - static_cast<int64_t>(reference.size())) <= 1152);
  }
}

TEST_CASE("the audio stream of a video is chosen and named; files without audio are bad input",
          "[audio][containers]") {
  if (!daf::reads_video_containers()) return;
  REQUIRE(have_ffmpeg());
  TempDir dir;
  const std::string wav = dir.file("source.wav");
  daf::write_wav(wav, stereo_signal(48000, 1.0), 48000, 2);
  const std::string video = "-f lavfi -i testsrc=size=64x48:rate=10:duration=1 ";

  // A video stream first, then the audio: stream #1 is read.
  ffmpeg(video + "-i " + wav + " -c:v mpeg4 -c:a aac " + dir.file("clip.mp4"));
  auto info = daf::probe_audio(dir.file("clip.mp4"));
  CHECK(info.decoder == "FFmpeg, audio stream #1 of 2 streams (aac, 48000 Hz, 2 channels)");
  CHECK(info.audio_streams == 1);
  CHECK(daf::read_audio(dir.file("clip.mp4"), 0, 0, 48000) == ffmpeg_mono(dir.file("clip.mp4"), dir));

  // Two audio tracks, the second marked default (as a dubbed film would be): FFmpeg's choice, named.
  ffmpeg("-i " + wav + " -i " + wav + " -map 0:a -map 1:a -ac:0 1 -c:a flac -metadata:s:a:1 language=eng "
         "-disposition:a:0 0 -disposition:a:1 default " + dir.file("two.mkv"));
  info = daf::probe_audio(dir.file("two.mkv"));
  CHECK(info.audio_streams == 2);
  CHECK(info.decoder == "FFmpeg, audio stream #1 of 2 streams (flac, 48000 Hz, 2 channels, language eng)");

  // Video only.
  ffmpeg(video + "-c:v mpeg4 " + dir.file("silent.mp4"));
  CHECK_THROWS_WITH(daf::probe_audio(dir.file("silent.mp4")),
                    ContainsSubstring("silent.mp4: the file holds no audio stream (1 video stream)"));
  CHECK_THROWS_AS(daf::read_audio(dir.file("silent.mp4"), 0, 0, 16000), daf::InputError);

  // Not a media file at all: both decoders' reasons.
  std::ofstream(dir.file("junk.mp4")) << std::string(3000, 'x');
  CHECK_THROWS_WITH(daf::probe_audio(dir.file("junk.mp4")),
                    ContainsSubstring("junk.mp4: cannot decode audio (libsndfile: ") &&
                        ContainsSubstring("; FFmpeg: "));

  // Cut short: an mp4 whose index is at the front (faststart), cut in the
  // middle of its audio; an mkv cut likewise.
  ffmpeg("-i " + wav + " -c:a aac -movflags +faststart " + dir.file("whole.mp4"));
  ffmpeg("-i " + wav + " -c:a flac " + dir.file("whole.mkv"));
  for (const char* name : {"whole.mp4", "whole.mkv"}) {
    INFO(name);
    std::ifstream in(dir.file(name), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    const std::string cut = dir.file(std::string("cut_") + name);
    std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    CHECK_THROWS_WITH(daf::read_audio(cut, 0, 0, 16000),
                      ContainsSubstring(std::string(name) == "whole.mp4" ? "does not decode at 0.4" : "truncated"));
  }
}
