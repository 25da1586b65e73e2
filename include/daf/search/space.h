#pragma once
// A hyper-parameter search space: one dimension per config key, each mapping
// a coordinate u in [0, 1) (search/sampler.h) to a value of that key.
#include <string>
#include <vector>

namespace daf {

struct SearchDimension {
  enum class Kind { kUniform, kLogUniform, kIntUniform, kChoice };
  std::string key;  // "train.lr"
  Kind kind = Kind::kUniform;
  double low = 0, high = 0;          // uniform, log_uniform (0 < low), int_uniform (integers, inclusive)
  std::vector<std::string> choices;  // choice: each value as YAML text ("128", "[text, audio]")
};

// The value at coordinate u, as YAML text for a "key=value" override.
// uniform: low + u (high - low); log_uniform: exp(log low + u (log high - log low));
// both rounded to 4 significant digits, so that what is trained, written to
// trials.csv and to best.yaml is the same number. int_uniform: low + floor(u (high - low + 1));
// choice: choices[floor(u k)].
std::string dimension_value(const SearchDimension& dimension, double u);

// "log_uniform [0.0001, 0.003]" and the like, for logs and reports.
std::string describe(const SearchDimension& dimension);

// Rounds to `digits` significant digits (0 stays 0).
double round_significant(double value, int digits);

}  // namespace daf
