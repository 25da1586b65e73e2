#pragma once
// An ordered list of named metric values, as reported (order is the report's order).
#include <string>
#include <utility>
#include <vector>

namespace daf {

using MetricValues = std::vector<std::pair<std::string, double>>;

// The value of `name`; throws std::out_of_range when absent.
double metric_value(const MetricValues& metrics, const std::string& name);

}  // namespace daf
