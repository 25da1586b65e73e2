#include "daf/search/ranking.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace daf {

std::vector<size_t> rank_order(const std::vector<double>& values, bool higher_is_better) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const double x = values[a], y = values[b];
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    return higher_is_better ? x > y : x < y;
  });
  return order;
}

}  // namespace daf
