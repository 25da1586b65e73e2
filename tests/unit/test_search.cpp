// search/: samplers, the space's values, ranking; the sweep's search: section.
#include "catch.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "daf/ablate/sweep.h"
#include "daf/search/halving.h"
#include "daf/search/ranking.h"
#include "daf/search/sampler.h"
#include "daf/search/space.h"
#include "daf/util/error.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using daf::test::TempDir;

namespace {

// tests/data/sobol-32d-64.txt: scipy's points (see its header).
std::vector<std::vector<double>> scipy_sobol_points() {
  std::ifstream in(std::string(DAF_SOURCE_DIR) + "/tests/data/sobol-32d-64.txt");
  std::vector<std::vector<double>> points;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::vector<double> point;
    double x = 0;
    while (fields >> x) point.push_back(x);
    points.push_back(point);
  }
  return points;
}

// Whether each of the 2^k slices [j/2^k, (j+1)/2^k) of axis d holds exactly one of the first 2^k points.
bool stratified(const std::vector<std::vector<double>>& points, size_t d, int k) {
  const size_t n = size_t{1} << k;
  std::set<size_t> slices;
  for (size_t i = 0; i < n; ++i) slices.insert(static_cast<size_t>(points[i][d] * static_cast<double>(n)));
  return slices.size() == n;
}

std::string write_search_sweep(const TempDir& dir, const std::string& search) {
  if (!std::filesystem::exists(dir.file("c.h5"))) daf::write_cache(dir.file("c.h5"), daf::test::small_cache());
  std::ofstream(dir.file("base.yaml")) << "data: {cache: " << dir.file("c.h5") << "}\n";
  std::ofstream(dir.file("sweep.yaml")) << "base: base.yaml\noutput: out\n" << search;
  return dir.file("sweep.yaml");
}

}  // namespace

TEST_CASE("unscrambled Sobol points equal scipy's", "[search]") {
  const auto expected = scipy_sobol_points();
  REQUIRE(expected.size() == 64);
  REQUIRE(expected.front().size() == daf::kSobolMaxDimensions);
  daf::SobolSequence sequence(daf::kSobolMaxDimensions, false, 0);
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto point = sequence.next();
    for (size_t d = 0; d < point.size(); ++d) {
      INFO("point " << i << " dimension " << d + 1);
      CHECK(point[d] == expected[i][d]);
    }
  }
}

TEST_CASE("scrambled Sobol points keep the net property and depend only on the seed", "[search]") {
  const auto points = daf::sample_unit_cube("sobol", 64, 8, 7);
  for (size_t d = 0; d < 8; ++d)
    for (int k = 1; k <= 6; ++k) {
      INFO("dimension " << d + 1 << ", first " << (1 << k) << " points");
      CHECK(stratified(points, d, k));
    }
  // Dimensions 1 and 2 form a (0, m, 2)-net: every dyadic box of area 1/16 holds one of the first 16 points.
  for (int a = 0; a <= 4; ++a) {
    std::set<std::pair<int, int>> boxes;
    for (size_t i = 0; i < 16; ++i)
      boxes.insert({static_cast<int>(points[i][0] * (1 << a)), static_cast<int>(points[i][1] * (1 << (4 - a)))});
    CHECK(boxes.size() == 16);
  }
  for (const auto& p : points)
    for (double x : p) CHECK((x >= 0 && x < 1));
  CHECK(points.front() != std::vector<double>(8, 0.0));  // the shift moves the origin
  CHECK(daf::sample_unit_cube("sobol", 64, 8, 7) == points);
  CHECK(daf::sample_unit_cube("sobol", 64, 8, 8) != points);
  CHECK_THROWS(daf::SobolSequence(daf::kSobolMaxDimensions + 1, true, 1));
}

TEST_CASE("random points are reproducible and uniform", "[search]") {
  const auto points = daf::sample_unit_cube("random", 4000, 3, 11);
  CHECK(daf::sample_unit_cube("random", 4000, 3, 11) == points);
  CHECK(daf::sample_unit_cube("random", 4000, 3, 12) != points);
  for (size_t d = 0; d < 3; ++d) {
    double sum = 0;
    for (const auto& p : points) {
      CHECK((p[d] >= 0 && p[d] < 1));
      sum += p[d];
    }
    CHECK(sum / 4000 == Approx(0.5).margin(0.015));  // 4.6 standard errors (sd 1/sqrt(12 * 4000))
  }
  // The first points do not depend on how many are drawn.
  CHECK(daf::sample_unit_cube("random", 10, 3, 11)[9] == points[9]);
}

TEST_CASE("space dimensions map the unit interval to values", "[search]") {
  using Kind = daf::SearchDimension::Kind;
  daf::SearchDimension uniform{"model.dropout", Kind::kUniform, 0.0, 0.5, {}};
  CHECK(daf::dimension_value(uniform, 0) == "0");
  CHECK(daf::dimension_value(uniform, 0.5) == "0.25");
  CHECK(daf::dimension_value(uniform, 0.123456789) == "0.06173");  // 4 significant digits
  daf::SearchDimension log_uniform{"train.lr", Kind::kLogUniform, 1e-4, 1e-2, {}};
  CHECK(daf::dimension_value(log_uniform, 0) == "0.0001");
  CHECK(daf::dimension_value(log_uniform, 0.5) == "0.001");  // the geometric mean
  CHECK(std::stod(daf::dimension_value(log_uniform, 0.999999)) == Approx(1e-2).epsilon(1e-4));
  daf::SearchDimension integers{"model.head_layers", Kind::kIntUniform, 1, 3, {}};
  CHECK(daf::dimension_value(integers, 0) == "1");
  CHECK(daf::dimension_value(integers, 0.34) == "2");
  CHECK(daf::dimension_value(integers, 0.9999) == "3");
  CHECK(daf::dimension_value(integers, 1.0) == "3");  // clamped below 1
  daf::SearchDimension choice{"model.dim", Kind::kChoice, 0, 0, {"64", "128", "256"}};
  CHECK(daf::dimension_value(choice, 0.2) == "64");
  CHECK(daf::dimension_value(choice, 0.5) == "128");
  CHECK(daf::dimension_value(choice, 0.99) == "256");
  CHECK(daf::round_significant(123456, 4) == 123500);
  CHECK(daf::describe(log_uniform) == "log_uniform [0.0001, 0.01]");
}

TEST_CASE("ranking: direction, ties in trial order, NaN last", "[search]") {
  const double nan = std::nan("");
  CHECK(daf::rank_order({0.5, nan, 0.3, 0.5, 0.1}, false) == std::vector<size_t>{4, 2, 0, 3, 1});
  CHECK(daf::rank_order({0.5, nan, 0.3, 0.5, 0.1}, true) == std::vector<size_t>{0, 3, 2, 4, 1});
  CHECK(daf::rank_order({nan, nan}, true) == std::vector<size_t>{0, 1});
}

TEST_CASE("successive halving: rungs and survivors", "[search]") {
  CHECK(daf::halving_rungs(4, 3, 30) == std::vector<int64_t>{4, 12, 30});
  CHECK(daf::halving_rungs(2, 2, 6) == std::vector<int64_t>{2, 4, 6});
  CHECK(daf::halving_rungs(3, 3, 9) == std::vector<int64_t>{3, 9});
  CHECK(daf::halving_rungs(1, 2, 1) == std::vector<int64_t>{1});
  CHECK(daf::halving_keep(50, 3) == 16);
  CHECK(daf::halving_keep(16, 3) == 5);
  CHECK(daf::halving_keep(2, 3) == 1);  // never none
  CHECK(daf::halving_keep(1, 3) == 1);
}

TEST_CASE("a search section draws its trials reproducibly", "[search][ablate]") {
  TempDir dir;
  const std::string search =
      "search:\n"
      "  space:\n"
      "    train.lr: {log_uniform: [1.0e-4, 3.0e-3]}\n"
      "    model.dropout: {uniform: [0.0, 0.5]}\n"
      "    model.dim: {choice: [16, 32]}\n"
      "  trials: 5\n"
      "  sampler: sobol\n"
      "  seed: 7\n"
      "  metric: Corr\n"
      "  final: {top: 2, seeds: [11, 12, 13]}\n";
  const auto sweep = daf::load_sweep(write_search_sweep(dir, search));
  REQUIRE(sweep.has_search);
  CHECK(sweep.conditions.empty());
  CHECK(sweep.reference.empty());  // nothing to compare with: no baseline condition
  CHECK(sweep.search.final_seeds == std::vector<int64_t>{11, 12, 13});
  CHECK(sweep.seeds == std::vector<int64_t>{daf::load_config(dir.file("base.yaml"), {}).train.seed});
  REQUIRE(sweep.search.trial_conditions.size() == 5);
  CHECK(sweep.search.trial_conditions[4].name == "trial-005");
  const auto points = daf::sample_unit_cube("sobol", 5, 3, 7);
  for (size_t t = 0; t < 5; ++t) {
    const auto& overrides = sweep.search.trial_conditions[t].overrides;
    REQUIRE(overrides.size() == 3);
    CHECK(overrides[0] == "train.lr=" + daf::dimension_value(sweep.search.space[0], points[t][0]));
    CHECK(overrides[2] == "model.dim=" + daf::dimension_value(sweep.search.space[2], points[t][2]));
  }
  const auto runs = sweep.trial_runs();
  REQUIRE(runs.size() == 5);
  CHECK(runs[2].dir == "out/trials/trial-003/seed-" + std::to_string(sweep.seeds.front()));
  CHECK(runs[2].config.train.lr == std::stod(sweep.search.trial_conditions[2].overrides[0].substr(9)));
  // The same file draws the same trials.
  const auto again = daf::load_sweep(dir.file("sweep.yaml"));
  CHECK(again.search.trial_conditions[3].overrides == sweep.search.trial_conditions[3].overrides);
}

TEST_CASE("bad search sections are named", "[search][ablate]") {
  TempDir dir;
  auto load = [&](const std::string& search) { return daf::load_sweep(write_search_sweep(dir, search)); };
  const std::string space = "search:\n  trials: 4\n  space:\n";
  CHECK_THROWS_WITH(load(space + "    train.lr: {log_uniform: [0, 0.1]}\n"),
                    ContainsSubstring("sweep.yaml:6: search.space.train.lr: log_uniform: low must be > 0"));
  CHECK_THROWS_WITH(load(space + "    train.lr: {loguniform: [0.1, 1]}\n"),
                    ContainsSubstring("unknown distribution 'loguniform'") && ContainsSubstring("did you mean 'log_uniform'?"));
  CHECK_THROWS_WITH(load(space + "    train.lr: {uniform: [0.1]}\n"), ContainsSubstring("expected [low, high]"));
  CHECK_THROWS_WITH(load(space + "    train.lr: {uniform: [0.3, 0.1]}\n"), ContainsSubstring("low must be below high"));
  CHECK_THROWS_WITH(load(space + "    model.head_layers: {int_uniform: [1, 2.5]}\n"), ContainsSubstring("expected integers"));
  CHECK_THROWS_WITH(load(space + "    model.dim: {choice: []}\n"), ContainsSubstring("non-empty list"));
  CHECK_THROWS_WITH(load(space + "    train.seed: {int_uniform: [1, 9]}\n"), ContainsSubstring("'train.seed' cannot be searched"));
  CHECK_THROWS_WITH(load(space + "    train.lrr: {uniform: [0.1, 0.2]}\n"),
                    ContainsSubstring("condition 'trial-001'") && ContainsSubstring("unknown key 'train.lrr'"));
  CHECK_THROWS_WITH(load(space + "    model.fusion: {choice: [dynamic, dinamic]}\n"),
                    ContainsSubstring("condition 'trial-00") && ContainsSubstring("did you mean 'dynamic'?"));
  CHECK_THROWS_WITH(load("search:\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n"), ContainsSubstring("search.trials"));
  CHECK_THROWS_WITH(load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n  sampler: sobl\n"),
                    ContainsSubstring("did you mean 'sobol'?"));
  CHECK_THROWS_WITH(load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n  metric: F1\n"),
                    ContainsSubstring("search.metric: 'F1' is not a validation metric of task regression"));
  CHECK_THROWS_WITH(load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n  final: {top: 4}\n"),
                    ContainsSubstring("search.final.top: 4 is more than the 3 trials"));
  CHECK_THROWS_WITH(load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n  halving: {eta: 3}\n"),
                    ContainsSubstring("search.halving: expected {min_epochs: N, eta: 3}"));
  CHECK_THROWS_WITH(load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n"
                         "  halving: {min_epochs: 2, eta: 1}\n"),
                    ContainsSubstring("search.halving.eta: expected an integer >= 2, found 1"));
  CHECK_THROWS_WITH(load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n"
                         "  halving: {min_epochs: 500}\n"),
                    ContainsSubstring("search.halving.min_epochs: 500 must be below train.max_epochs"));
  CHECK_THROWS_WITH(load("search:\n  trials: 3\n  space: {train.max_epochs: {int_uniform: [5, 9]}}\n"
                         "  halving: {min_epochs: 2}\n"),
                    ContainsSubstring("train.max_epochs cannot be searched with halving"));
  CHECK(load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n  halving: {min_epochs: 2}\n")
            .search.halving_eta == 3);
  CHECK_THROWS_WITH(load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n  halvng: {}\n"),
                    ContainsSubstring("search: unknown key 'halvng'"));
  CHECK_THROWS_WITH(load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n"
                         "conditions: [{name: best-2}]\nseeds: [1]\n"),
                    ContainsSubstring("names starting with trial- or best- are the search's"));
  const auto with_defaults = load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n"
                                  "compare: {baseline: defaults}\nconditions: [{name: defaults}]\nseeds: [1]\n");
  CHECK(with_defaults.reference == "best-1");  // the default reference of a search
  CHECK(with_defaults.baseline == "defaults");
  CHECK_THROWS_WITH(load("search:\n  trials: 3\n  space: {train.lr: {uniform: [0.1, 0.2]}}\n"
                         "compare: {baseline: defualts}\nconditions: [{name: defaults}]\nseeds: [1]\n"),
                    ContainsSubstring("no condition named 'defualts'") && ContainsSubstring("did you mean 'defaults'?"));
}
