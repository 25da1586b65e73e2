#include "daf/import/segment_alignment.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace daf {

bool is_zero_length_segment(double start, double end) { return std::abs(start - end) < kSdkEpsilon; }

double clipped_overlap(double a, double b, double start, double end) { return std::min(b, end) - std::max(a, start); }

RowOverlap classify_row(double a, double b, double start, double end) {
  const double overlap = clipped_overlap(a, b, start, end);
  if (overlap > kSdkEpsilon) return RowOverlap::used;
  // Within epsilon of touching: the rows a plain "overlap > 0" test would
  // take or miss by rounding alone.
  if (overlap > -kSdkEpsilon) return RowOverlap::marginal;
  return RowOverlap::apart;
}

std::vector<int64_t> order_by_start(const std::vector<double>& starts) {
  std::vector<int64_t> order(starts.size());
  std::iota(order.begin(), order.end(), 0);
  // Python's sorted() is stable, so equal starts keep their file order there too.
  std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) {
    return starts[static_cast<size_t>(x)] < starts[static_cast<size_t>(y)];
  });
  return order;
}

}  // namespace daf
