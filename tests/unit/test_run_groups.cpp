// How daf-ablate divides a sweep's runs into stacked groups (src/ablate/run_groups.h).
#include <algorithm>
#include <string>
#include <vector>

#include "ablate/run_groups.h"
#include "catch.h"
#include "daf/config/config.h"

namespace run_groups_test {

// A cache whose train split has these widths (no rows: grouping reads widths only).
daf::EmbeddingCache cache_of(const std::vector<std::pair<std::string, int64_t>>& widths) {
  daf::EmbeddingCache cache;
  for (const auto& [modality, cols] : widths) cache.splits["train"].features[modality] = daf::FeatureMatrix(0, cols);
  return cache;
}

std::vector<daf::SweepRun> runs_of(int64_t count, const std::vector<std::string>& overrides) {
  std::vector<daf::SweepRun> runs;
  for (int64_t i = 0; i < count; ++i) {
    auto keys = overrides;
    keys.push_back("data.cache=x");
    keys.push_back("train.seed=" + std::to_string(i + 1));
    runs.push_back({"c", i + 1, "runs/c/seed-" + std::to_string(i + 1), daf::load_config("", keys), 0});
  }
  return runs;
}

std::vector<size_t> sizes(const std::vector<daf::RunGroup>& groups) {
  std::vector<size_t> out;
  for (const auto& g : groups) out.push_back(g.size());
  return out;
}

std::vector<const daf::SweepRun*> pointers(const std::vector<daf::SweepRun>& runs) {
  std::vector<const daf::SweepRun*> out;
  for (const auto& run : runs) out.push_back(&run);
  return out;
}

TEST_CASE("a stack holds as many runs as fit its memory budget, cut into near-equal stacks", "[ablate]") {
  // CMU-MOSEI's widths and configs/mosei.yaml's dim 128: (768 + 128 + 74 + 128 + 35 + 128) x 128 = 161,408
  // parameters counted, 16 bytes each, 16 MB: 6 runs per stack.
  const auto mosei = cache_of({{"text", 768}, {"audio", 74}, {"video", 35}});
  const std::vector<std::string> keys = {"data.modalities=[text,audio,video]", "model.dim=128"};
  const auto runs = runs_of(25, keys);
  CHECK(daf::max_stack(runs.front().config, mosei) == 6);
  CHECK(sizes(daf::group_runs(pointers(runs), mosei, 1, true)) == std::vector<size_t>{5, 5, 5, 5, 5});
  CHECK(sizes(daf::group_runs(pointers(runs), mosei, 2, true)) == std::vector<size_t>{5, 5, 5, 5, 5});
  // 13 runs: 3 stacks, the larger first; every run in exactly one, in order within a stack.
  const auto thirteen = runs_of(13, keys);
  const auto groups = daf::group_runs(pointers(thirteen), mosei, 1, true);
  CHECK(sizes(groups) == std::vector<size_t>{5, 4, 4});
  std::vector<int64_t> seeds;
  for (const auto& g : groups)
    for (const auto* run : g) seeds.push_back(run->seed);
  std::sort(seeds.begin(), seeds.end());
  for (size_t i = 0; i < seeds.size(); ++i) CHECK(seeds[i] == static_cast<int64_t>(i) + 1);
  CHECK(sizes(daf::group_runs(pointers(thirteen), mosei, 1, false)) == std::vector<size_t>(13, 1));

  // A small head stacks them all, halved when a second job would idle.
  const auto small = cache_of({{"text", 16}, {"audio", 8}, {"video", 4}});
  const auto tiny = runs_of(25, {"data.modalities=[text,audio,video]", "model.dim=16"});
  CHECK(daf::max_stack(tiny.front().config, small) > 25);
  CHECK(sizes(daf::group_runs(pointers(tiny), small, 1, true)) == std::vector<size_t>{25});
  CHECK(sizes(daf::group_runs(pointers(tiny), small, 2, true)) == std::vector<size_t>{13, 12});
  // A head too large for the budget alone still trains: one run per stack.
  const auto huge = cache_of({{"text", 200000}});
  const auto wide = runs_of(3, {"data.modalities=[text]", "model.dim=128"});
  CHECK(daf::max_stack(wide.front().config, huge) == 1);
  CHECK(sizes(daf::group_runs(pointers(wide), huge, 1, true)) == std::vector<size_t>{1, 1, 1});
}

}  // namespace run_groups_test
