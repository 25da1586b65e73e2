// Reference values: Student's t tables and numpy/scipy conventions, worked by hand.
#include "catch.h"
#include <cmath>

#include "daf/metrics/statistics.h"

using Approx = Catch::Approx;

TEST_CASE("mean and sample standard deviation", "[stats]") {
  const auto s = daf::mean_std({1, 2, 3, 4});
  CHECK(s.mean == Approx(2.5));
  CHECK(s.std == Approx(std::sqrt(5.0 / 3.0)));
  CHECK(s.n == 4);
  CHECK(daf::mean_std({7}).std == 0.0);
  CHECK(daf::mean_std({1, std::nan(""), 3}).mean == Approx(2.0));
  CHECK(std::isnan(daf::mean_std({}).mean));
}

TEST_CASE("Student t p-values match the tables", "[stats]") {
  // Two-sided critical values at p = 0.05 and 0.01.
  CHECK(daf::student_t_two_sided_p(2.776445, 4) == Approx(0.05).epsilon(1e-4));
  CHECK(daf::student_t_two_sided_p(2.228139, 10) == Approx(0.05).epsilon(1e-4));
  CHECK(daf::student_t_two_sided_p(4.604095, 4) == Approx(0.01).epsilon(1e-4));
  CHECK(daf::student_t_two_sided_p(-2.776445, 4) == Approx(0.05).epsilon(1e-4));
  // df = 1 is the Cauchy distribution: p = 1 - 2 atan(t) / pi.
  CHECK(daf::student_t_two_sided_p(1.0, 1) == Approx(0.5));
  CHECK(daf::student_t_two_sided_p(0.0, 3) == Approx(1.0));
  CHECK(daf::regularized_incomplete_beta(2, 3, 0.4) == Approx(0.5248));
}

TEST_CASE("paired t-test over seeds", "[stats]") {
  // Differences 1, 2, 3: mean 2, sd 1, t = 2 / (1 / sqrt 3) = 3.4641, df 2 -> p = 0.07418.
  const auto test = daf::paired_t_test({1, 2, 3});
  CHECK(test.mean_difference == Approx(2.0));
  CHECK(test.t == Approx(3.4641016));
  CHECK(test.p == Approx(0.0741799).epsilon(1e-4));
  CHECK(std::isnan(daf::paired_t_test({1}).p));
  CHECK(daf::paired_t_test({0.5, 0.5}).p == 0.0);
  CHECK(daf::paired_t_test({0, 0, 0}).p == 1.0);
}

TEST_CASE("percentile intervals interpolate like numpy", "[stats]") {
  std::vector<double> samples;
  for (int i = 0; i <= 100; ++i) samples.push_back(i);
  const auto interval = daf::percentile_interval(samples, 0.95);
  CHECK(interval.low == Approx(2.5));
  CHECK(interval.high == Approx(97.5));
  const auto small = daf::percentile_interval({4, 1, 3, 2}, 0.5);  // quartiles of 1..4
  CHECK(small.low == Approx(1.75));
  CHECK(small.high == Approx(3.25));
}
