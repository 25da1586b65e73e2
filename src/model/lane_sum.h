#pragma once
// A vectorisable, deterministic sum for the fused training kernels.
#include <cstdint>

namespace daf {

// The sum of term(0) ... term(d - 1) in 8 interleaved lanes: the compiler
// vectorises it (a plain serial sum cannot be, without reassociating), and
// the order is fixed, so the result is the same on every call.
template <typename Term>
inline float lane_sum(int64_t d, Term term) {
  float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= d; j += 8)
    for (int64_t k = 0; k < 8; ++k) lanes[k] += term(j + k);
  float total = 0;
  for (const float lane : lanes) total += lane;
  for (; j < d; ++j) total += term(j);
  return total;
}

}  // namespace daf
