#pragma once
// SHA-256, to record which encoder file produced a cache's embeddings (the
// same digest `sha256sum` prints).
#include <cstdint>
#include <string>

namespace daf {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  void update(const std::string& text) { update(text.data(), text.size()); }
  std::string hex_digest();  // finishes the hash

 private:
  void compress(const uint8_t* data, size_t blocks);  // whole 64-byte blocks
  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_ = 0;
};

// Hex digest of a file's bytes; InputError naming the file when it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace daf
