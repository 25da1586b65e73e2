#include "daf/eval/missing_masks.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace daf {
namespace {

uint64_t fnv1a64(const std::string& text) {
  uint64_t hash = 14695981039346656037ULL;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

std::vector<double> missing_draws(const std::string& modality, int64_t rows) {
  std::mt19937_64 generator(kMissingSeed ^ fnv1a64(modality));
  std::vector<double> draws(static_cast<size_t>(std::max<int64_t>(rows, 0)));
  // Not std::uniform_real_distribution: its algorithm differs between standard libraries.
  for (auto& u : draws) u = static_cast<double>(generator() >> 11) * 0x1.0p-53;
  return draws;
}

std::vector<uint8_t> missing_mask(const std::vector<std::string>& modalities, const std::vector<uint8_t>& present,
                                  const std::string& target, double rate) {
  const size_t m_count = modalities.size();
  if (m_count == 0 || present.size() % m_count != 0)
    throw std::invalid_argument("missing_mask: present is not [rows, modalities]");
  const size_t rows = present.size() / m_count;
  std::vector<std::vector<double>> draws;
  for (const auto& m : modalities) draws.push_back(missing_draws(m, static_cast<int64_t>(rows)));
  std::vector<uint8_t> removed(present.size(), 0);
  const auto left = [&](size_t row) {
    size_t n = 0;
    for (size_t m = 0; m < m_count; ++m) n += present[row * m_count + m] && !removed[row * m_count + m];
    return n;
  };
  if (target == "any") {
    for (size_t row = 0; row < rows; ++row) {
      for (size_t m = 0; m < m_count; ++m)
        if (present[row * m_count + m] && draws[m][row] < rate) removed[row * m_count + m] = 1;
      if (left(row) > 0) continue;
      size_t keep = m_count;
      for (size_t m = 0; m < m_count; ++m)
        if (present[row * m_count + m] && (keep == m_count || draws[m][row] > draws[keep][row])) keep = m;
      if (keep < m_count) removed[row * m_count + keep] = 0;
    }
    return removed;
  }
  const auto it = std::find(modalities.begin(), modalities.end(), target);
  if (it == modalities.end()) throw std::invalid_argument("missing_mask: unknown modality " + target);
  const size_t m = static_cast<size_t>(it - modalities.begin());
  std::vector<size_t> order(rows);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return draws[m][a] < draws[m][b]; });
  const auto chosen = static_cast<size_t>(std::llround(rate * static_cast<double>(rows)));
  for (size_t k = 0; k < std::min(chosen, rows); ++k) {
    const size_t row = order[k];
    if (present[row * m_count + m] && left(row) > 1) removed[row * m_count + m] = 1;
  }
  return removed;
}

}  // namespace daf
