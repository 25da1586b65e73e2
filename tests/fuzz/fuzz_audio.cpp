// The audio decoder (libsndfile + libsamplerate behind daf's checks): the
// first bytes pick the segment and target rate, the rest is the file.
#include "daf/audio/audio_file.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const double start = data[0] / 100.0, end = data[1] == 0 ? 0.0 : start + data[1] / 50.0;
  const int rate = data[2] & 1 ? 16000 : 8000;
  const std::string path = daf::fuzz::write_input("a.wav", data + 3, size - 3);
  daf::fuzz::expect_clean_errors([&] {
    const auto info = daf::probe_audio(path);
    if (info.seconds() > 30) return;  // a header announcing hours: decoding it is not the point here
    daf::read_audio(path, start, end, rate);
  });
  return 0;
}
