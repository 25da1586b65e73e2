// SHA-256 rounds on the x86 SHA extensions (SHA-NI: sha256rnds2 does two
// rounds, sha256msg1/msg2 the message schedule), after Intel's "New
// Instructions Supporting the Secure Hash Algorithm on Intel Architecture
// Processors" (2013). The state lives in two registers as ABEF and CDGH.
#include "sha256_blocks.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

namespace daf {

bool sha256_hardware_available() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  const bool ssse3 = c & (1u << 9), sse41 = c & (1u << 19);
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  const bool sha = b & (1u << 29);
  return ssse3 && sse41 && sha;
}

__attribute__((target("sha,ssse3,sse4.1")))
void sha256_blocks_hardware(uint32_t state[8], const uint8_t* data, size_t blocks) {
  // The message words are big-endian: swap the bytes of each 32-bit word.
  const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  // Lanes named from the highest: state[0..3] loads as DCBA.
  const __m128i cdab = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
  for (; blocks > 0; --blocks, data += 64) {
    const __m128i abef_in = abef, cdgh_in = cdgh;
    __m128i w[4];  // the last 16 message words, 4 per register
    for (int group = 0; group < 16; ++group) {
      __m128i& words = w[group % 4];
      if (group < 4) {
        words = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * group)), swap);
      } else {
        // W[t] = W[t-16] + s0(W[t-15]) + W[t-7] + s1(W[t-2]), four words at a time.
        const __m128i& prev = w[(group + 3) % 4];   // W[t-4 .. t-1]
        const __m128i& prev2 = w[(group + 2) % 4];  // W[t-8 .. t-5]
        words = _mm_sha256msg1_epu32(words, w[(group + 1) % 4]);
        words = _mm_add_epi32(words, _mm_alignr_epi8(prev, prev2, 4));
        words = _mm_sha256msg2_epu32(words, prev);
      }
      __m128i message =
          _mm_add_epi32(words, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha256Round + 4 * group)));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);  // two rounds: the new ABEF
      message = _mm_shuffle_epi32(message, 0x0E);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, message);  // two more
    }
    abef = _mm_add_epi32(abef, abef_in);
    cdgh = _mm_add_epi32(cdgh, cdgh_in);
  }
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xF0));   // DCBA
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));  // HGFE
}

}  // namespace daf

#else

namespace daf {

bool sha256_hardware_available() { return false; }
void sha256_blocks_hardware(uint32_t state[8], const uint8_t* data, size_t blocks) {
  sha256_blocks_portable(state, data, blocks);
}

}  // namespace daf

#endif
