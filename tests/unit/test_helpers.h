#pragma once
// Shared fixtures for the unit tests: temporary folders and small generated caches.
#include <filesystem>
#include <random>
#include <string>

#include "daf/data/cache_io.h"
#include "daf/data/synthetic.h"

namespace daf::test {

// A fresh folder under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() / ("daf-test-" + std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// A small synthetic cache (narrow features so model tests stay fast).
inline SynthConfig small_synth_config(int64_t train = 240, int64_t valid = 80, int64_t test = 80) {
  SynthConfig c = load_synth_config("tiny", "", {});
  c.train_size = train;
  c.valid_size = valid;
  c.test_size = test;
  c.text_dim = 16;
  c.audio_dim = 8;
  c.video_dim = 4;
  return c;
}

inline EmbeddingCache small_cache() { return generate_synthetic_cache(small_synth_config()); }

}  // namespace daf::test
