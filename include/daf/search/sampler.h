#pragma once
// Points in the unit cube [0, 1)^d for hyper-parameter search: independent
// uniform draws, or a scrambled Sobol sequence (low discrepancy: the first 2^k
// points cover every 1/2^k slice of each axis exactly once).
#include <cstdint>
#include <string>
#include <vector>

namespace daf {

// The largest number of dimensions the Sobol sampler has direction numbers for.
constexpr size_t kSobolMaxDimensions = 32;

// Sobol points in Gray-code order (Antonov-Saleev), as scipy.stats.qmc.Sobol:
// direction numbers of Joe & Kuo (2008, new-joe-kuo-6.21201), dimension 1 the
// van der Corput sequence. Unscrambled, point 0 is the origin and the points
// equal scipy's `Sobol(d, scramble=False)`. Scrambled: Matousek's random
// linear matrix scramble plus a random digital shift (what scipy does with
// scramble=True), drawn from std::mt19937_64(seed); that keeps the net
// property above and makes every point differ from the origin.
class SobolSequence {
 public:
  SobolSequence(size_t dimensions, bool scramble, uint64_t seed);
  std::vector<double> next();

 private:
  static constexpr int kBits = 32;
  size_t dimensions_;
  std::vector<std::vector<uint32_t>> directions_;  // [dimension][bit]
  std::vector<uint32_t> state_;
  uint64_t index_ = 0;
};

// `count` points of `dimensions` coordinates. sampler: "random" (std::mt19937_64(seed),
// 53 bits a coordinate, point by point) or "sobol" (scrambled with `seed`).
std::vector<std::vector<double>> sample_unit_cube(const std::string& sampler, int64_t count, size_t dimensions,
                                                  uint64_t seed);

}  // namespace daf
