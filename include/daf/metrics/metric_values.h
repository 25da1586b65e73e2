#pragma once
// An ordered list of named metric values, as reported (order is the report's order).
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace daf {

// An undefined metric (a correlation of a constant, a mean of nothing): reports
// print it as undefined, never as a number.
constexpr double kUndefinedMetric = std::numeric_limits<double>::quiet_NaN();

using MetricValues = std::vector<std::pair<std::string, double>>;

// The value of `name`; throws std::out_of_range when absent.
double metric_value(const MetricValues& metrics, const std::string& name);

}  // namespace daf
