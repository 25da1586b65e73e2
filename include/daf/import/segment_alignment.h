#pragma once
// The CMU-MultimodalSDK's rule for which rows of a stream belong to a labelled
// segment, exactly as mmdatasdk/dataset/dataset.py applies it in align() and
// __intersect_and_copy() with epsilon = 10e-6 (= 1e-5):
//  - a segment [s, e] with |e - s| < 1e-5 is dropped (the SDK gives it no key);
//  - the stream's rows are taken in start-time order (a stable sort);
//  - a row [a, b] is used when its clipped overlap min(b, e) - max(a, s) is
//    greater than 1e-5. A row that only touches the segment, overlaps it by a
//    rounding error or has zero length is not used.
// Feature rows and words follow the same rule.
#include <cstdint>
#include <vector>

namespace daf {

constexpr double kSdkEpsilon = 1e-5;  // the SDK's `epsilon = 10e-6`

// True for the segments the SDK drops: |end - start| < 1e-5.
bool is_zero_length_segment(double start, double end);

// The overlap of row [a, b] with segment [start, end] after clipping the row to
// the segment: min(b, end) - max(a, start). Negative when they are apart.
double clipped_overlap(double a, double b, double start, double end);

enum class RowOverlap {
  apart,     // more than 1e-5 away from the segment
  marginal,  // touches it, or overlaps it by at most 1e-5 (rounding error, zero length): not used
  used,      // overlaps it by more than 1e-5
};
RowOverlap classify_row(double a, double b, double start, double end);

// Row indices sorted by start time; rows with equal starts keep file order.
std::vector<int64_t> order_by_start(const std::vector<double>& starts);

}  // namespace daf
