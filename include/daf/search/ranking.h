#pragma once
// Ranking trials on a validation metric.
#include <cstddef>
#include <vector>

namespace daf {

// Indices of `values`, best first: ascending (descending when higher is
// better); NaN (a trial without a finite value) last; ties keep index order,
// so the ranking never depends on anything but the values.
std::vector<size_t> rank_order(const std::vector<double>& values, bool higher_is_better);

}  // namespace daf
