// The sweep loader: arbitrary sweep YAML beside a valid base config and cache.
#include "daf/ablate/sweep.h"
#include "daf/data/cache_io.h"
#include "daf/data/synthetic.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  daf::SynthConfig c = daf::load_synth_config("tiny", "", {});
  c.train_size = c.valid_size = c.test_size = 4;
  c.text_dim = c.audio_dim = c.video_dim = 2;
  const std::string dir = daf::fuzz::scratch();
  daf::write_cache(dir + "/c.h5", daf::generate_synthetic_cache(c));
  std::ofstream(dir + "/base.yaml") << "data: {cache: " << dir << "/c.h5}\n";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = daf::fuzz::write_input("sweep.yaml", data, size);
  daf::fuzz::expect_clean_errors([&] { daf::load_sweep(path, {}); });
  return 0;
}
