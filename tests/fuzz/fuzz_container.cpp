// Audio from video containers (FFmpeg's demuxers and decoders behind daf's
// checks): the input is the file, named .mp4 so that libsndfile refuses it and
// FFmpeg probes it by its content. The seeds are tiny mp4, mkv, webm, avi and
// mp3 files made with Debian's ffmpeg. FFmpeg itself is not instrumented; the
// finding this looks for is daf's handling of what it returns.
#include "daf/audio/audio_file.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = daf::fuzz::write_input("a.mp4", data, size);
  daf::fuzz::expect_clean_errors([&] {
    const auto info = daf::probe_audio(path);
    if (info.seconds() > 30) return;
    daf::read_audio(path, 0.01, 0, 16000);
  });
  return 0;
}
