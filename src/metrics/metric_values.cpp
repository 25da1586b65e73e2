#include "daf/metrics/metric_values.h"

#include <stdexcept>

namespace daf {

double metric_value(const MetricValues& metrics, const std::string& name) {
  for (const auto& [key, value] : metrics)
    if (key == name) return value;
  throw std::out_of_range("no metric named " + name);
}

}  // namespace daf
