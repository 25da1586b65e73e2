#pragma once
// Dropout masks from a counter-based generator: Philox4x32-10 (Salmon, Moraes,
// Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11; the
// generator of cuRAND and of PyTorch's CUDA dropout). Element i of a mask is a
// pure function of (key, i), so a mask is the same however it is split between
// threads or stacked heads, and costs one 10-round block per 4 elements
// instead of a Mersenne Twister draw per element. Each mask takes one 64-bit
// key from its run's generator, which therefore advances by one draw per mask
// whatever its size.
#include <ATen/core/Generator.h>

#include <array>
#include <cstdint>

namespace daf {

// The 4 words Philox4x32-10 gives for a counter and a key.
std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key);

// One 64-bit key from `generator` (a CPU generator), taken under its lock.
uint64_t draw_mask_key(at::Generator& generator);

// How fill_keep_mask computes: AVX2 where the CPU has it (kBest), or one block
// at a time (kPortable, what other CPUs run; tests compare the two).
enum class MaskKernel { kBest, kPortable };

// out[i] = 1 when the top 24 bits of word i % 4 of philox4x32_10({i / 4 as two
// words, 0, 0}, key), as a fraction of 2^24, are below `keep`; else 0.
void fill_keep_mask(uint64_t key, double keep, float* out, int64_t n, MaskKernel kernel = MaskKernel::kBest);

}  // namespace daf
