#include "daf/search/space.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "daf/util/strings.h"

namespace daf {

double round_significant(double value, int digits) {
  if (value == 0 || !std::isfinite(value)) return value;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, value);
  return std::strtod(buffer, nullptr);
}

std::string dimension_value(const SearchDimension& dimension, double u) {
  using Kind = SearchDimension::Kind;
  u = std::clamp(u, 0.0, std::nextafter(1.0, 0.0));
  switch (dimension.kind) {
    case Kind::kUniform:
      return format_number(round_significant(dimension.low + u * (dimension.high - dimension.low), 4));
    case Kind::kLogUniform: {
      const double log_low = std::log(dimension.low), log_high = std::log(dimension.high);
      return format_number(round_significant(std::exp(log_low + u * (log_high - log_low)), 4));
    }
    case Kind::kIntUniform: {
      const double span = dimension.high - dimension.low + 1;
      return format_number(dimension.low + std::min(span - 1, std::floor(u * span)));
    }
    case Kind::kChoice: {
      const size_t k = dimension.choices.size();
      return dimension.choices[std::min(k - 1, static_cast<size_t>(u * static_cast<double>(k)))];
    }
  }
  return "";
}

std::string describe(const SearchDimension& dimension) {
  using Kind = SearchDimension::Kind;
  switch (dimension.kind) {
    case Kind::kUniform:
      return "uniform [" + format_number(dimension.low) + ", " + format_number(dimension.high) + "]";
    case Kind::kLogUniform:
      return "log_uniform [" + format_number(dimension.low) + ", " + format_number(dimension.high) + "]";
    case Kind::kIntUniform:
      return "int_uniform [" + format_number(dimension.low) + ", " + format_number(dimension.high) + "]";
    case Kind::kChoice:
      return "choice [" + join(dimension.choices, ", ") + "]";
  }
  return "";
}

}  // namespace daf
