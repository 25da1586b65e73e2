#include "daf/metrics/robustness.h"

#include <stdexcept>

namespace daf {

double relative_robustness(const std::vector<double>& rates, const std::vector<double>& metric) {
  if (rates.size() != metric.size() || rates.empty())
    throw std::invalid_argument("relative_robustness: one metric value per rate");
  double area = 0;
  for (size_t i = 0; i + 1 < rates.size(); ++i) area += (rates[i + 1] - rates[i]) * (metric[i] + metric[i + 1]) / 2;
  return area;
}

double effective_robustness(const std::vector<double>& metric, const std::vector<double>& reference) {
  if (metric.size() != reference.size() || metric.empty())
    throw std::invalid_argument("effective_robustness: curves of different lengths");
  double sum = 0;
  for (size_t i = 0; i < metric.size(); ++i) sum += metric[i] - (reference[i] + metric[0] - reference[0]);
  return sum;
}

}  // namespace daf
