#include "philox.h"

#include <ATen/CPUGeneratorImpl.h>

#include <mutex>

namespace daf {
namespace {

inline void philox_round(std::array<uint32_t, 4>& c, const std::array<uint32_t, 2>& k) {
  const uint64_t p0 = uint64_t{0xD2511F53} * c[0];
  const uint64_t p1 = uint64_t{0xCD9E8D57} * c[2];
  c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
       static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
}

}  // namespace

std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key) {
  philox_round(counter, key);
  for (int round = 1; round < 10; ++round) {
    key[0] += 0x9E3779B9;  // the Weyl sequence's key schedule
    key[1] += 0xBB67AE85;
    philox_round(counter, key);
  }
  return counter;
}

uint64_t draw_mask_key(at::Generator& generator) {
  std::lock_guard<std::mutex> lock(generator.mutex());
  return at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
}

void fill_keep_mask(uint64_t key, double keep, float* out, int64_t n) {
  const std::array<uint32_t, 2> words = {static_cast<uint32_t>(key), static_cast<uint32_t>(key >> 32)};
  // Kept when u < keep, u = (word >> 8) / 2^24: a 24-bit uniform, as a float has.
  const auto threshold = static_cast<uint32_t>(keep * 16777216.0);
  for (int64_t block = 0; block * 4 < n; ++block) {
    const auto random = philox4x32_10(
        {static_cast<uint32_t>(block), static_cast<uint32_t>(static_cast<uint64_t>(block) >> 32), 0, 0}, words);
    for (int64_t k = 0; k < 4 && block * 4 + k < n; ++k)
      out[block * 4 + k] = (random[static_cast<size_t>(k)] >> 8) < threshold ? 1.0f : 0.0f;
  }
}

}  // namespace daf
