// Expected values are worked out by hand from MMSA's and scikit-learn's definitions.
#include <catch2/catch.hpp>
#include <cmath>

#include "daf/metrics/classification_metrics.h"
#include "daf/metrics/regression_metrics.h"

using Approx = Catch::Detail::Approx;
using daf::metric_value;

TEST_CASE("regression metrics follow MMSA, including ties at .5", "[metrics]") {
  const std::vector<float> preds = {1.5f, -0.5f, 0.5f, 2.5f, -2.5f, 0.0f};
  const std::vector<float> truth = {2.0f, -1.0f, 0.0f, 2.5f, -3.0f, 0.4f};
  const auto m = daf::regression_metrics(preds, truth);
  std::vector<std::string> names;
  for (const auto& [name, value] : m) names.push_back(name);
  CHECK(names == std::vector<std::string>{"Has0_acc_2", "Has0_F1_score", "Non0_acc_2", "Non0_F1_score", "Mult_acc_5",
                                          "Mult_acc_7", "MAE", "Corr"});
  CHECK(metric_value(m, "MAE") == Approx(0.4));
  // truth >= 0 and prediction >= 0 agree everywhere (0.0 counts as non-negative).
  CHECK(metric_value(m, "Has0_acc_2") == Approx(1.0));
  CHECK(metric_value(m, "Has0_F1_score") == Approx(1.0));
  // Without the zero truth: 4 of 5 agree on "> 0"; both classes have F1 0.8.
  CHECK(metric_value(m, "Non0_acc_2") == Approx(0.8));
  CHECK(metric_value(m, "Non0_F1_score") == Approx(0.8));
  // Half to even: 1.5->2, -0.5->0, 0.5->0, 2.5->2, -2.5->-2.
  CHECK(metric_value(m, "Mult_acc_7") == Approx(4.0 / 6.0));
  CHECK(metric_value(m, "Mult_acc_5") == Approx(5.0 / 6.0));
}

TEST_CASE("round_half_even matches numpy.round", "[metrics]") {
  CHECK(daf::round_half_even(0.5) == 0.0);
  CHECK(daf::round_half_even(1.5) == 2.0);
  CHECK(daf::round_half_even(2.5) == 2.0);
  CHECK(daf::round_half_even(-0.5) == 0.0);
  CHECK(daf::round_half_even(-1.5) == -2.0);
  CHECK(daf::round_half_even(0.51) == 1.0);
}

TEST_CASE("Pearson correlation, and NaN where it is undefined", "[metrics]") {
  const auto perfect = daf::regression_metrics({1, 2, 3}, {2, 4, 6});
  CHECK(metric_value(perfect, "Corr") == Approx(1.0));
  const auto inverse = daf::regression_metrics({1, 2, 3}, {3, 2, 1});
  CHECK(metric_value(inverse, "Corr") == Approx(-1.0));
  const auto constant = daf::regression_metrics({1, 1, 1}, {3, 2, 1});
  CHECK(std::isnan(metric_value(constant, "Corr")));
}

TEST_CASE("all-zero truths: Non0 metrics are undefined, Has0 still counts", "[metrics]") {
  const auto m = daf::regression_metrics({0.1f, -0.2f, 0.0f}, {0, 0, 0});
  CHECK(std::isnan(metric_value(m, "Non0_acc_2")));
  CHECK(std::isnan(metric_value(m, "Non0_F1_score")));
  CHECK(metric_value(m, "Has0_acc_2") == Approx(2.0 / 3.0));
  // Only class "non-negative" has support: its F1 is 2*2/(2+3) = 0.8.
  CHECK(metric_value(m, "Has0_F1_score") == Approx(0.8));
  CHECK(std::isnan(metric_value(m, "Corr")));
  CHECK(metric_value(m, "Mult_acc_7") == Approx(1.0));
}

TEST_CASE("classification metrics match scikit-learn", "[metrics]") {
  const std::vector<int64_t> truth = {0, 0, 1, 1, 2};
  const std::vector<int64_t> pred = {0, 1, 1, 1, 0};
  const auto r = daf::classification_metrics(pred, truth, 7);
  CHECK(metric_value(r.metrics, "accuracy") == Approx(0.6));
  CHECK(metric_value(r.metrics, "F1_weighted") == Approx(0.52));
  // Macro F1 averages over the classes that occur (0, 1, 2), not all 7.
  CHECK(metric_value(r.metrics, "F1_macro") == Approx((0.5 + 0.8 + 0.0) / 3.0));
  CHECK(r.confusion[0][0] == 1);
  CHECK(r.confusion[0][1] == 1);
  CHECK(r.confusion[1][1] == 2);
  CHECK(r.confusion[2][0] == 1);
  CHECK(r.confusion.size() == 7);
}

TEST_CASE("sentiment classes", "[metrics]") {
  CHECK(daf::sentiment_class(0.0f, 2) == 1);
  CHECK(daf::sentiment_class(-0.1f, 2) == 0);
  CHECK(daf::sentiment_class(-3.0f, 7) == 0);
  CHECK(daf::sentiment_class(-0.5f, 7) == 3);
  CHECK(daf::sentiment_class(0.5f, 7) == 3);
  CHECK(daf::sentiment_class(1.5f, 7) == 5);
  CHECK(daf::sentiment_class(2.5f, 7) == 5);
  CHECK(daf::sentiment_class(3.4f, 7) == 6);
  CHECK_THROWS(daf::sentiment_class(0.0f, 3));
}
