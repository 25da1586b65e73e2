#include "daf/search/sampler.h"

#include <random>
#include <stdexcept>

namespace daf {
namespace {

// Joe & Kuo's primitive polynomials (with the leading and trailing 1 bits, as
// scipy stores them) and initial direction numbers m_1..m_s for the first
// dimensions. Dimension 1 has none: its direction numbers are all 1.
struct SobolDimension {
  uint32_t polynomial;
  std::vector<uint32_t> initial;
};
const SobolDimension kSobolTable[kSobolMaxDimensions] = {
    {1, {}},
    {3, {1}},
    {7, {1, 3}},
    {11, {1, 3, 1}},
    {13, {1, 1, 1}},
    {19, {1, 1, 3, 3}},
    {25, {1, 3, 5, 13}},
    {37, {1, 1, 5, 5, 17}},
    {41, {1, 1, 5, 5, 5}},
    {47, {1, 1, 7, 11, 19}},
    {55, {1, 1, 5, 1, 1}},
    {59, {1, 1, 1, 3, 11}},
    {61, {1, 3, 5, 5, 31}},
    {67, {1, 3, 3, 9, 7, 49}},
    {91, {1, 1, 1, 15, 21, 21}},
    {97, {1, 3, 1, 13, 27, 49}},
    {103, {1, 1, 1, 15, 7, 5}},
    {109, {1, 3, 1, 15, 13, 25}},
    {115, {1, 1, 5, 5, 19, 61}},
    {131, {1, 3, 7, 11, 23, 15, 103}},
    {137, {1, 3, 7, 13, 13, 15, 69}},
    {143, {1, 1, 3, 13, 7, 35, 63}},
    {145, {1, 3, 5, 9, 1, 25, 53}},
    {157, {1, 3, 1, 13, 9, 35, 107}},
    {167, {1, 3, 1, 5, 27, 61, 31}},
    {171, {1, 1, 5, 11, 19, 41, 61}},
    {185, {1, 3, 5, 3, 3, 13, 69}},
    {191, {1, 1, 7, 13, 1, 19, 1}},
    {193, {1, 3, 7, 5, 13, 19, 59}},
    {203, {1, 1, 3, 9, 25, 29, 41}},
    {211, {1, 3, 5, 13, 23, 1, 55}},
    {213, {1, 3, 7, 3, 13, 59, 17}},
};

int degree(uint32_t polynomial) {
  int d = -1;
  while (polynomial) {
    polynomial >>= 1;
    ++d;
  }
  return d;
}

// Left-aligned direction numbers v_j = m_j / 2^j (j = 1..kBits), extended past
// the initial ones with Bratley & Fox's recurrence
// v_j = a_1 v_{j-1} ^ ... ^ a_{s-1} v_{j-s+1} ^ v_{j-s} ^ (v_{j-s} >> s).
std::vector<uint32_t> direction_numbers(const SobolDimension& dimension, int bits) {
  std::vector<uint32_t> v(static_cast<size_t>(bits));
  const int s = degree(dimension.polynomial);
  for (int j = 0; j < bits; ++j) {
    if (s == 0 || j < s) {
      const uint32_t m = s == 0 ? 1 : dimension.initial[static_cast<size_t>(j)];
      v[static_cast<size_t>(j)] = m << (bits - 1 - j);
      continue;
    }
    uint32_t value = v[static_cast<size_t>(j - s)] ^ (v[static_cast<size_t>(j - s)] >> s);
    for (int k = 1; k < s; ++k)
      if ((dimension.polynomial >> (s - k)) & 1U) value ^= v[static_cast<size_t>(j - k)];
    v[static_cast<size_t>(j)] = value;
  }
  return v;
}

// Matousek's linear matrix scramble of one dimension: every direction number
// multiplied (over GF(2)) by a random lower-triangular bit matrix with a unit
// diagonal. Row r of the matrix gives output bit r (counted from the top).
void scramble_directions(std::vector<uint32_t>& v, int bits, std::mt19937_64& random) {
  std::vector<uint32_t> rows(static_cast<size_t>(bits));
  for (int r = 0; r < bits; ++r) {
    // Input bits above the diagonal stay clear: only input bits i < r (random) and r itself feed output bit r.
    const uint32_t below = (1U << r) - 1U;
    rows[static_cast<size_t>(r)] = (static_cast<uint32_t>(random() >> 32) & below) | (1U << r);
  }
  for (auto& value : v) {
    uint32_t out = 0;
    for (int r = 0; r < bits; ++r) {
      // Input bit i (from the top) of `value` is bit (bits - 1 - i); output likewise.
      uint32_t parity = 0;
      for (int i = 0; i <= r; ++i)
        if ((rows[static_cast<size_t>(r)] >> i) & 1U) parity ^= (value >> (bits - 1 - i)) & 1U;
      out |= parity << (bits - 1 - r);
    }
    value = out;
  }
}

}  // namespace

SobolSequence::SobolSequence(size_t dimensions, bool scramble, uint64_t seed)
    : dimensions_(dimensions), state_(dimensions, 0) {
  if (dimensions == 0 || dimensions > kSobolMaxDimensions)
    throw std::invalid_argument("SobolSequence: 1 to " + std::to_string(kSobolMaxDimensions) + " dimensions");
  std::mt19937_64 random(seed);
  for (size_t d = 0; d < dimensions; ++d) {
    directions_.push_back(direction_numbers(kSobolTable[d], kBits));
    if (scramble) scramble_directions(directions_.back(), kBits, random);
  }
  if (scramble)
    for (auto& s : state_) s = static_cast<uint32_t>(random() >> 32);  // the digital shift
}

std::vector<double> SobolSequence::next() {
  std::vector<double> point(dimensions_);
  for (size_t d = 0; d < dimensions_; ++d) point[d] = static_cast<double>(state_[d]) / 4294967296.0;
  // Gray code: the next point differs in the direction number of the lowest zero bit of the index.
  int bit = 0;
  while ((index_ >> bit) & 1U) ++bit;
  if (bit >= kBits) throw std::out_of_range("SobolSequence: more than 2^32 points");
  for (size_t d = 0; d < dimensions_; ++d) state_[d] ^= directions_[d][static_cast<size_t>(bit)];
  ++index_;
  return point;
}

std::vector<std::vector<double>> sample_unit_cube(const std::string& sampler, int64_t count, size_t dimensions,
                                                  uint64_t seed) {
  std::vector<std::vector<double>> points;
  if (sampler == "sobol") {
    SobolSequence sequence(dimensions, true, seed);
    for (int64_t i = 0; i < count; ++i) points.push_back(sequence.next());
    return points;
  }
  if (sampler != "random") throw std::invalid_argument("sample_unit_cube: unknown sampler " + sampler);
  std::mt19937_64 random(seed);
  for (int64_t i = 0; i < count; ++i) {
    std::vector<double> point(dimensions);
    for (auto& x : point) x = static_cast<double>(random() >> 11) * 0x1.0p-53;
    points.push_back(point);
  }
  return points;
}

}  // namespace daf
