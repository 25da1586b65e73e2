#include "philox.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <mutex>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace daf {
namespace {

constexpr uint32_t kMultiplier0 = 0xD2511F53, kMultiplier1 = 0xCD9E8D57;
constexpr uint32_t kWeyl0 = 0x9E3779B9, kWeyl1 = 0xBB67AE85;  // the key schedule: round r uses key + r * Weyl

inline void philox_round(std::array<uint32_t, 4>& c, const std::array<uint32_t, 2>& k) {
  const uint64_t p0 = uint64_t{kMultiplier0} * c[0];
  const uint64_t p1 = uint64_t{kMultiplier1} * c[2];
  c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
       static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
}

inline float kept(uint32_t word, uint32_t threshold) { return (word >> 8) < threshold ? 1.0f : 0.0f; }

// Elements [4 * first_block, 4 * first_block + count) of the mask, one block at a time.
void keep_blocks_portable(std::array<uint32_t, 2> key, uint32_t threshold, int64_t first_block, float* out,
                          int64_t count) {
  for (int64_t e = 0; e < count; e += 4) {
    const uint64_t block = static_cast<uint64_t>(first_block + e / 4);
    const auto words = philox4x32_10({static_cast<uint32_t>(block), static_cast<uint32_t>(block >> 32), 0, 0}, key);
    for (int64_t w = 0; w < 4 && e + w < count; ++w) out[e + w] = kept(words[static_cast<size_t>(w)], threshold);
  }
}

#if defined(__x86_64__)
// The same with AVX2, 8 blocks (32 elements) per iteration: word w of the 8
// blocks in one register. The compiler does not vectorise the widening
// multiply itself (GCC 12 reports "unsupported use"), and the one-block form is
// a chain of 10 dependent rounds, so this is what makes masks cheap (4.3x).
__attribute__((target("avx2"))) inline __m256i mul_hi_lo(__m256i c, __m256i multiplier, __m256i* lo) {
  const __m256i even = _mm256_mul_epu32(c, multiplier);                         // lanes 0, 2, 4, 6: 64-bit
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(c, 32), multiplier);  // lanes 1, 3, 5, 7
  *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  return _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

// 1.0f where (word >> 8) < threshold, else 0: both are below 2^25, so a signed comparison is exact.
__attribute__((target("avx2"))) inline __m256 kept(__m256i words, __m256i threshold) {
  const __m256i below = _mm256_cmpgt_epi32(threshold, _mm256_srli_epi32(words, 8));
  return _mm256_castsi256_ps(_mm256_and_si256(below, _mm256_castps_si256(_mm256_set1_ps(1.0f))));
}

__attribute__((target("avx2"))) void keep_blocks_avx2(std::array<uint32_t, 2> key, uint32_t threshold, float* out,
                                                      int64_t count) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kMultiplier0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kMultiplier1));
  const __m256i limit = _mm256_set1_epi32(static_cast<int>(threshold));
  const int64_t whole = count / 32 * 32;
  for (int64_t e = 0; e < whole; e += 32) {
    const uint64_t block = static_cast<uint64_t>(e / 4);
    // Blocks below 2^32 - 8: the counter's high word is 0 (a mask of 16 G elements is far off).
    __m256i c0 = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(block)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256i c1 = _mm256_set1_epi32(static_cast<int>(block >> 32)), c2 = _mm256_setzero_si256(), c3 = c2;
    for (uint32_t round = 0; round < 10; ++round) {
      const __m256i k0 = _mm256_set1_epi32(static_cast<int>(key[0] + round * kWeyl0));
      const __m256i k1 = _mm256_set1_epi32(static_cast<int>(key[1] + round * kWeyl1));
      __m256i lo0, lo1;
      const __m256i hi0 = mul_hi_lo(c0, m0, &lo0), hi1 = mul_hi_lo(c2, m1, &lo1);
      c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), k0);
      c1 = lo1;
      c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), k1);
      c3 = lo0;
    }
    // Interleave: element 4 * b + w is word w of block b (a 4 x 8 transpose).
    const __m256 w0 = kept(c0, limit), w1 = kept(c1, limit), w2 = kept(c2, limit), w3 = kept(c3, limit);
    const __m256 t0 = _mm256_unpacklo_ps(w0, w1), t1 = _mm256_unpackhi_ps(w0, w1);
    const __m256 t2 = _mm256_unpacklo_ps(w2, w3), t3 = _mm256_unpackhi_ps(w2, w3);
    const __m256 b04 = _mm256_shuffle_ps(t0, t2, 0x44), b15 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 b26 = _mm256_shuffle_ps(t1, t3, 0x44), b37 = _mm256_shuffle_ps(t1, t3, 0xEE);
    _mm256_storeu_ps(out + e, _mm256_permute2f128_ps(b04, b15, 0x20));
    _mm256_storeu_ps(out + e + 8, _mm256_permute2f128_ps(b26, b37, 0x20));
    _mm256_storeu_ps(out + e + 16, _mm256_permute2f128_ps(b04, b15, 0x31));
    _mm256_storeu_ps(out + e + 24, _mm256_permute2f128_ps(b26, b37, 0x31));
  }
  keep_blocks_portable(key, threshold, whole / 4, out + whole, count - whole);
}
#endif

}  // namespace

std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key) {
  philox_round(counter, key);
  for (int round = 1; round < 10; ++round) {
    key[0] += kWeyl0;
    key[1] += kWeyl1;
    philox_round(counter, key);
  }
  return counter;
}

uint64_t draw_mask_key(at::Generator& generator) {
  std::lock_guard<std::mutex> lock(generator.mutex());
  return at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
}

void fill_keep_mask(uint64_t key, double keep, float* out, int64_t n, MaskKernel kernel) {
  const std::array<uint32_t, 2> words = {static_cast<uint32_t>(key), static_cast<uint32_t>(key >> 32)};
  // Kept when u < keep, u = (word >> 8) / 2^24: a 24-bit uniform, as a float has.
  const auto threshold = static_cast<uint32_t>(keep * 16777216.0);
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  // The vector counter holds the block number's low word only (see keep_blocks_avx2).
  if (kernel == MaskKernel::kBest && avx2 && n / 4 < (int64_t{1} << 32) - 8) {
    keep_blocks_avx2(words, threshold, out, n);
    return;
  }
#endif
  keep_blocks_portable(words, threshold, 0, out, n);
}

}  // namespace daf
