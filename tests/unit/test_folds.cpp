#include "catch.h"

#include <algorithm>
#include <map>

#include "daf/folds/folds.h"
#include "daf/util/error.h"

using Catch::Matchers::ContainsSubstring;

namespace {
std::vector<int64_t> fold_sizes(const std::vector<int64_t>& fold, int64_t k) {
  std::vector<int64_t> sizes(static_cast<size_t>(k), 0);
  for (int64_t f : fold) ++sizes.at(static_cast<size_t>(f));
  return sizes;
}
}  // namespace

TEST_CASE("k-fold: contiguous chunks of a seeded order, the first n % k one row larger", "[folds]") {
  const auto fold = daf::kfold_assignment(10, 3, 7);
  CHECK(fold_sizes(fold, 3) == std::vector<int64_t>{4, 3, 3});
  CHECK(daf::kfold_assignment(10, 3, 7) == fold);  // deterministic
  CHECK(daf::kfold_assignment(10, 3, 8) != fold);  // the seed decides the order
  CHECK(fold_sizes(daf::kfold_assignment(5, 5, 1), 5) == std::vector<int64_t>{1, 1, 1, 1, 1});
  CHECK_THROWS_WITH(daf::kfold_assignment(4, 5, 1), ContainsSubstring("5 folds need at least as many utterances, found 4"));
  CHECK_THROWS_WITH(daf::kfold_assignment(4, 1, 1), ContainsSubstring("expected at least 2 folds, found 1"));
}

TEST_CASE("stratified k-fold deals each class round-robin, continuing across classes", "[folds]") {
  // Class 0: 4 rows -> folds 0, 1, 2, 0; class 1: 2 rows -> folds 1, 2 (the deal goes on).
  const std::vector<int64_t> classes = {1, 0, 0, 1, 0, 0};
  const auto fold = daf::kfold_assignment(6, 3, 11, classes);
  std::map<std::pair<int64_t, int64_t>, int> count;  // (fold, class) -> rows
  for (size_t i = 0; i < fold.size(); ++i) ++count[{fold[i], classes[i]}];
  CHECK(count[{0, 0}] == 2);
  CHECK(count[{1, 0}] == 1);
  CHECK(count[{2, 0}] == 1);
  CHECK(count[{0, 1}] == 0);
  CHECK(count[{1, 1}] == 1);
  CHECK(count[{2, 1}] == 1);
  // IEMOCAP-like shares over 5 folds: every fold holds floor or ceil of each class's n / 5.
  std::vector<int64_t> many;
  for (int64_t c = 0; c < 4; ++c) many.insert(many.end(), static_cast<size_t>(17 + 9 * c), c);
  const auto folds5 = daf::kfold_assignment(many.size(), 5, 3, many);
  for (int64_t c = 0; c < 4; ++c) {
    const int64_t n = 17 + 9 * c;
    for (int64_t f = 0; f < 5; ++f) {
      int64_t in = 0;
      for (size_t i = 0; i < many.size(); ++i) in += many[i] == c && folds5[i] == f;
      CHECK((in == n / 5 || in == n / 5 + 1));
    }
  }
}

TEST_CASE("grouped k-fold: largest group first, each to the lightest fold (scikit-learn's GroupKFold)", "[folds]") {
  // Sizes A 5, B 3, C 3, D 2, E 1 into 2 folds: A->0 (5,0), B->1 (5,3), C->1 (5,6), D->0 (7,6), E->1 (7,7).
  std::vector<std::string> groups;
  for (const auto& [g, n] : std::vector<std::pair<std::string, int>>{{"C", 3}, {"A", 5}, {"E", 1}, {"B", 3}, {"D", 2}})
    groups.insert(groups.end(), static_cast<size_t>(n), g);
  const auto fold = daf::group_assignment(groups, 2, "speaker");
  std::map<std::string, int64_t> of;
  for (size_t i = 0; i < groups.size(); ++i) of[groups[i]] = fold[i];
  CHECK(of == std::map<std::string, int64_t>{{"A", 0}, {"B", 1}, {"C", 1}, {"D", 0}, {"E", 1}});
  CHECK(daf::groups_per_fold(groups, fold, 2) ==
        std::vector<std::vector<std::string>>{{"A", "D"}, {"B", "C", "E"}});
  CHECK_THROWS_WITH(daf::group_assignment(groups, 6, "speaker"),
                    ContainsSubstring("6 folds need at least as many groups ('speaker' values), found 5"));
  groups[3] = "";
  CHECK_THROWS_WITH(daf::group_assignment(groups, 2, "speaker"),
                    ContainsSubstring("meta column 'speaker' is empty for utterance row 3"));
}

TEST_CASE("leave-one-group-out tests the groups in sorted order, one per fold", "[folds]") {
  const std::vector<std::string> sessions = {"Ses03", "Ses01", "Ses02", "Ses01", "Ses03"};
  CHECK(daf::group_assignment(sessions, 0, "session") == std::vector<int64_t>{2, 0, 1, 0, 2});
  CHECK_THROWS_WITH(daf::group_assignment({"Ses01", "Ses01"}, 0, "session"),
                    ContainsSubstring("leave-one-group-out needs at least 2 groups, meta column 'session' has 1"));
}

TEST_CASE("a group in two parts of a fold is named with the fold", "[folds]") {
  const std::vector<std::string> speakers = {"a", "a", "b", "b", "c"};
  CHECK_NOTHROW(daf::check_no_leakage(speakers, {0, 0, 2, 2, 1}, 0, "speaker"));
  CHECK_NOTHROW(daf::check_no_leakage(speakers, {0, -1, 2, 2, 1}, 0, "speaker"));  // unused rows do not count
  CHECK_THROWS_WITH(daf::check_no_leakage(speakers, {0, 2, 1, 1, 1}, 2, "speaker"),
                    ContainsSubstring("fold 3: group 'a' (speaker) is in both train and test"));
  CHECK_THROWS_WITH(daf::check_no_leakage(speakers, {0, 0, 2, 1, 1}, 0, "speaker"),
                    ContainsSubstring("fold 1: group 'b' (speaker) is in both valid and test"));
}
