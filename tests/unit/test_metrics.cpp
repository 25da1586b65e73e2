// Expected values are worked out by hand from MMSA's and scikit-learn's definitions.
#include "catch.h"
#include <algorithm>
#include <cmath>
#include <numeric>

#include "daf/eval/missing_masks.h"
#include "daf/metrics/class_report.h"
#include "daf/metrics/classification_metrics.h"
#include "daf/metrics/multilabel_report.h"
#include "daf/metrics/regression_metrics.h"
#include "daf/metrics/robustness.h"

using Approx = Catch::Approx;
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

TEST_CASE("MultiBench's relative and effective robustness", "[metrics][robustness]") {
  // By hand: 0.1 * (1.0 + 0.8) / 2 + 0.2 * (0.8 + 0.4) / 2.
  CHECK(daf::relative_robustness({0, 0.1, 0.3}, {1.0, 0.8, 0.4}) == Approx(0.21));
  // MultiBench's helper on [0.9, 0.8, 0.7] (its fixed step 0.1): 0.05 * 1.7 + 0.05 * 1.5.
  CHECK(daf::relative_robustness({0, 0.1, 0.2}, {0.9, 0.8, 0.7}) == Approx(0.16));
  // Reference shifted to f's clean value: {0.9, 0.7, 0.4}; f minus it: {0, 0.1, 0.2}.
  CHECK(daf::effective_robustness({0.9, 0.8, 0.6}, {0.8, 0.6, 0.3}) == Approx(0.3));
  CHECK(daf::effective_robustness({0.5, 0.4}, {0.5, 0.4}) == Approx(0.0));
  CHECK_THROWS(daf::relative_robustness({0, 0.1}, {1.0}));
}

TEST_CASE("missing-rate masks: exact fractions, nested, the same for every condition", "[metrics][robustness]") {
  const std::vector<std::string> three = {"text", "audio", "video"}, two = {"text", "audio"};
  const int64_t rows = 1000;
  const std::vector<uint8_t> all3(static_cast<size_t>(rows) * 3, 1), all2(static_cast<size_t>(rows) * 2, 1);
  const auto column = [](const std::vector<uint8_t>& mask, size_t m, size_t m_count) {
    std::vector<uint8_t> out;
    for (size_t r = m; r < mask.size(); r += m_count) out.push_back(mask[r]);
    return out;
  };
  const auto sum = [](const std::vector<uint8_t>& v) { return std::accumulate(v.begin(), v.end(), 0); };
  const auto a30 = daf::missing_mask(three, all3, "audio", 0.3);
  CHECK(a30 == daf::missing_mask(three, all3, "audio", 0.3));  // deterministic
  CHECK(sum(column(a30, 1, 3)) == 300);                         // exactly round(0.3 * 1000)
  CHECK(sum(column(a30, 0, 3)) + sum(column(a30, 2, 3)) == 0);  // no other modality
  const auto a50 = daf::missing_mask(three, all3, "audio", 0.5);
  for (size_t i = 0; i < a30.size(); ++i) CHECK((a30[i] <= a50[i]));  // nested in the rate
  // A condition with other modalities sees the same utterances lose audio.
  CHECK(column(daf::missing_mask(two, all2, "audio", 0.3), 1, 2) == column(a30, 1, 3));
  // Another modality has its own stream.
  CHECK(column(daf::missing_mask(three, all3, "text", 0.3), 0, 3) != column(a30, 1, 3));

  // An utterance whose only modality is the target keeps it.
  std::vector<uint8_t> only_audio = all2;
  for (int64_t r = 0; r < rows; ++r) only_audio[static_cast<size_t>(r) * 2] = 0;
  CHECK(sum(daf::missing_mask(two, only_audio, "audio", 0.9)) == 0);

  // any: each modality independently with the rate, never all of them.
  const int64_t many = 20000;
  const std::vector<uint8_t> full(static_cast<size_t>(many) * 3, 1);
  const auto any = daf::missing_mask(three, full, "any", 0.5);
  CHECK(any == daf::missing_mask(three, full, "any", 0.5));
  for (int64_t r = 0; r < many; ++r) {
    const size_t i = static_cast<size_t>(r) * 3;
    CHECK(any[i] + any[i + 1] + any[i + 2] <= 2);
  }
  // P(lost) = 0.5, minus the 1/8 of utterances that would lose all three and get one back (1/3 each).
  for (size_t m = 0; m < 3; ++m)
    CHECK(sum(column(any, m, 3)) / static_cast<double>(many) == Approx(0.5 - 0.125 / 3).margin(0.015));
  const auto any_higher = daf::missing_mask(three, full, "any", 0.7);
  size_t nested_violations = 0;
  for (size_t i = 0; i < any.size(); ++i) nested_violations += any[i] > any_higher[i];
  // Nested too: "never all" gives back the modality with the largest draw, the last one any rate removes.
  CHECK(nested_violations == 0);

  const auto u = daf::missing_draws("text", 10000);
  CHECK(u == daf::missing_draws("text", 10000));
  CHECK(*std::min_element(u.begin(), u.end()) >= 0.0);
  CHECK(*std::max_element(u.begin(), u.end()) < 1.0);
  CHECK(std::accumulate(u.begin(), u.end(), 0.0) / 10000 == Approx(0.5).margin(0.01));
}

// By hand, with scikit-learn's definitions (precision_recall_fscore_support,
// f1_score average=weighted/macro, balanced_accuracy_score for UAR).
TEST_CASE("multiclass metrics: per class, weighted, macro and UAR", "[metrics]") {
  // Confusion [truth][prediction]: {1,1,1}, {0,2,0}, {1,0,2}.
  const std::vector<int64_t> truth = {0, 0, 1, 1, 2, 2, 2, 0}, predicted = {0, 1, 1, 1, 2, 0, 2, 2};
  const auto r = daf::class_report(predicted, truth, 4);  // class 3: in neither
  CHECK(r.confusion[0] == std::vector<int64_t>{1, 1, 1, 0});
  CHECK(r.confusion[2] == std::vector<int64_t>{1, 0, 2, 0});
  CHECK(r.accuracy == Approx(5.0 / 8));
  CHECK(r.classes[0].precision == Approx(0.5));
  CHECK(r.classes[0].recall == Approx(1.0 / 3));
  CHECK(r.classes[0].f1 == Approx(0.4));
  CHECK(r.classes[1].f1 == Approx(0.8));
  CHECK(r.classes[2].f1 == Approx(2.0 / 3));
  CHECK(r.f1_weighted == Approx((3 * 0.4 + 2 * 0.8 + 3 * 2.0 / 3) / 8));  // 0.6
  CHECK(r.f1_macro == Approx((0.4 + 0.8 + 2.0 / 3) / 3));                // class 3 left out
  CHECK(r.uar == Approx((1.0 / 3 + 1.0 + 2.0 / 3) / 3));
  CHECK(std::isnan(r.classes[3].precision));
  CHECK(std::isnan(r.classes[3].recall));
  CHECK(std::isnan(r.classes[3].f1));
  const auto m = r.metrics({"neutral", "happy", "sad", "angry"});
  CHECK(m[3].first == "UAR");
  CHECK(metric_value(m, "recall_happy") == Approx(1.0));
  CHECK(std::isnan(metric_value(m, "F1_angry")));

  // A class in truth but never predicted: precision undefined, recall and F1 0 (as scikit-learn).
  const auto never = daf::class_report({0, 0, 0}, {0, 1, 0}, 2);
  CHECK(std::isnan(never.classes[1].precision));
  CHECK(never.classes[1].recall == 0.0);
  CHECK(never.classes[1].f1 == 0.0);
  CHECK(never.f1_macro == Approx((0.8 + 0.0) / 2));  // class 0: P 2/3, R 1
  CHECK(never.uar == Approx(0.5));
  // A split with one class: everything defined is 1, the other class is null.
  const auto single = daf::class_report({0, 0}, {0, 0}, 2);
  CHECK(single.f1_weighted == 1.0);
  CHECK(single.f1_macro == 1.0);
  CHECK(single.uar == 1.0);
  CHECK(std::isnan(single.classes[1].f1));
  // Ties in the prediction do not exist here: classes are indices. Out of range is refused.
  CHECK_THROWS(daf::class_report({0, 5}, {0, 1}, 2));
  CHECK_THROWS(daf::class_report({}, {}, 2));
}

TEST_CASE("multi-label metrics: accuracy, weighted accuracy, F1 per label and over labels", "[metrics]") {
  // Rows x labels; label 0: TP 1 (row 0), FP 1 (row 1), FN 1 (row 2), TN 2. Label 1 never present, predicted once.
  const std::vector<std::vector<uint8_t>> truth = {{1, 0}, {0, 0}, {1, 0}, {0, 0}, {0, 0}};
  const std::vector<std::vector<uint8_t>> predicted = {{1, 0}, {1, 1}, {0, 0}, {0, 0}, {0, 0}};
  const auto r = daf::multilabel_report(predicted, truth);
  CHECK(r.labels[0].accuracy == Approx(0.6));
  CHECK(r.labels[0].weighted_accuracy == Approx((1 * 3.0 / 2 + 2) / (2 * 3.0)));  // (TP N/P + TN) / 2N
  CHECK(r.labels[0].f1 == Approx(0.5));
  CHECK(r.labels[1].accuracy == Approx(0.8));
  CHECK(std::isnan(r.labels[1].weighted_accuracy));  // never present: N/P undefined
  CHECK(r.labels[1].f1 == 0.0);                      // one false positive
  CHECK(r.accuracy == Approx(0.7));
  CHECK(r.weighted_accuracy == Approx(3.5 / 6));  // label 1 left out
  CHECK(r.f1_macro == Approx(0.25));
  CHECK(r.f1_micro == Approx(2.0 / (2 + 2 + 1)));
  const auto m = r.metrics({"happy", "sad"});
  CHECK(metric_value(m, "happy_WA") == Approx(3.5 / 6));
  CHECK(std::isnan(metric_value(m, "sad_WA")));
  // A label neither present nor predicted has no F1 (scikit-learn: 0 with a warning).
  const auto silent = daf::multilabel_report({{1, 0}, {0, 0}}, {{1, 0}, {0, 0}});
  CHECK(std::isnan(silent.labels[1].f1));
  CHECK(silent.f1_macro == 1.0);
  CHECK(silent.f1_micro == 1.0);
  CHECK_THROWS(daf::multilabel_report({{1}}, {{1, 0}}));
}
