#include "daf/model/feature_stats.h"

#include <cmath>

namespace daf {

FeatureStats compute_feature_stats(const FeatureMatrix& matrix, const std::vector<uint8_t>& present) {
  const size_t cols = static_cast<size_t>(matrix.cols);
  std::vector<double> sum(cols, 0.0), sum_sq(cols, 0.0);
  int64_t count = 0;
  for (int64_t i = 0; i < matrix.rows; ++i) {
    if (!present.empty() && !present[static_cast<size_t>(i)]) continue;
    const float* row = matrix.row(i);
    for (size_t j = 0; j < cols; ++j) sum[j] += row[j];
    ++count;
  }
  FeatureStats stats{std::vector<float>(cols, 0.0f), std::vector<float>(cols, 1.0f)};
  if (count == 0) return stats;
  for (size_t j = 0; j < cols; ++j) stats.mean[j] = static_cast<float>(sum[j] / count);
  // Second pass around the mean: numerically safer than E[x^2] - E[x]^2.
  for (int64_t i = 0; i < matrix.rows; ++i) {
    if (!present.empty() && !present[static_cast<size_t>(i)]) continue;
    const float* row = matrix.row(i);
    for (size_t j = 0; j < cols; ++j) {
      const double d = row[j] - static_cast<double>(stats.mean[j]);
      sum_sq[j] += d * d;
    }
  }
  for (size_t j = 0; j < cols; ++j) {
    const double std = std::sqrt(sum_sq[j] / count);
    stats.std[j] = std > 1e-6 ? static_cast<float>(std) : 1.0f;
  }
  return stats;
}

void normalize_in_place(FeatureMatrix& matrix, const FeatureStats& stats) {
  for (int64_t i = 0; i < matrix.rows; ++i) {
    float* row = matrix.row(i);
    for (int64_t j = 0; j < matrix.cols; ++j) row[j] = (row[j] - stats.mean[j]) / stats.std[j];
  }
}

}  // namespace daf
