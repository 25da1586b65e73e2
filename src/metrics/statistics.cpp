#include "daf/metrics/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "daf/metrics/metric_values.h"

namespace daf {
namespace {

// Continued fraction of the incomplete beta function (Lentz's method).
double beta_continued_fraction(double a, double b, double x) {
  const double tiny = 1e-300, eps = 1e-15;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < eps) break;
  }
  return h;
}

}  // namespace

MeanStd mean_std(const std::vector<double>& values) {
  MeanStd out;
  double sum = 0;
  for (double v : values)
    if (!std::isnan(v)) {
      sum += v;
      ++out.n;
    }
  if (out.n == 0) return {kUndefinedMetric, kUndefinedMetric, 0};
  out.mean = sum / out.n;
  double squares = 0;
  for (double v : values)
    if (!std::isnan(v)) squares += (v - out.mean) * (v - out.mean);
  out.std = out.n > 1 ? std::sqrt(squares / (out.n - 1)) : 0.0;
  return out;
}

double regularized_incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front =
      std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double student_t_two_sided_p(double t, double df) {
  if (std::isnan(t) || df <= 0) return kUndefinedMetric;
  if (std::isinf(t)) return 0.0;
  return regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
}

PairedTTest paired_t_test(const std::vector<double>& differences) {
  PairedTTest out;
  const MeanStd stats = mean_std(differences);
  out.n = stats.n;
  out.mean_difference = stats.mean;
  if (stats.n < 2) {
    out.t = out.p = kUndefinedMetric;
    return out;
  }
  if (stats.std == 0) {  // identical differences: certain unless they are all 0
    out.t = stats.mean == 0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), stats.mean);
    out.p = stats.mean == 0 ? 1.0 : 0.0;
    return out;
  }
  out.t = stats.mean / (stats.std / std::sqrt(static_cast<double>(stats.n)));
  out.p = student_t_two_sided_p(out.t, static_cast<double>(stats.n - 1));
  return out;
}

Interval percentile_interval(std::vector<double> samples, double level) {
  samples.erase(std::remove_if(samples.begin(), samples.end(), [](double v) { return std::isnan(v); }),
                samples.end());
  if (samples.empty()) return {kUndefinedMetric, kUndefinedMetric};
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    const double position = q * (samples.size() - 1);
    const size_t below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(below + 1, samples.size() - 1);
    return samples[below] + (position - below) * (samples[above] - samples[below]);
  };
  const double tail = (1.0 - level) / 2.0;
  return {at(tail), at(1.0 - tail)};
}

}  // namespace daf
