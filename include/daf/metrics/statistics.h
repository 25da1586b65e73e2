#pragma once
// Statistics for comparing conditions over seeds and test utterances.
#include <cstdint>
#include <vector>

namespace daf {

struct MeanStd {
  double mean = 0;
  double std = 0;  // sample standard deviation (n - 1); 0 for a single value
  int64_t n = 0;
};

// NaN values are skipped; an empty input gives NaN mean.
MeanStd mean_std(const std::vector<double>& values);

// I_x(a, b), the regularised incomplete beta function.
double regularized_incomplete_beta(double a, double b, double x);

// Two-sided p-value of Student's t statistic with `df` degrees of freedom.
double student_t_two_sided_p(double t, double df);

struct PairedTTest {
  double mean_difference = 0;
  double t = 0;
  double p = 0;  // two-sided; NaN with fewer than two pairs
  int64_t n = 0;
};
// Paired t-test of differences (reference - baseline) against 0.
PairedTTest paired_t_test(const std::vector<double>& differences);

struct Interval {
  double low = 0;
  double high = 0;
};
// The central `level` (e.g. 0.95) percentile interval of `samples`
// (linear interpolation between order statistics, as numpy.percentile).
Interval percentile_interval(std::vector<double> samples, double level);

}  // namespace daf
