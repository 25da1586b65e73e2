#include "run_groups.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "daf/train/trainer.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

// Rough cost of training a group (the projections dominate), for handing out
// the largest groups first.
double group_cost(const RunGroup& group, const EmbeddingCache& cache) {
  const Config& config = group.front()->config;
  double width = 0;
  for (const auto& modality : config.data.modalities)
    width += static_cast<double>(cache.splits.at("train").features.at(modality).cols + config.model.dim);
  return static_cast<double>(group.size()) * static_cast<double>(config.train.max_epochs) * width;
}

}  // namespace

// Stacking pays a step's fixed costs once for all its runs, but every step
// also streams each run's parameters, gradients and Adam moments (16 bytes
// per parameter), and past the CPU's caches a larger stack gets slower per
// sample. Measured at CMU-MOSEI's size (configs/mosei.yaml, ~140k
// parameters, one thread, 2-core AMD EPYC, 2026-12-07): 5 and 10 runs per
// stack trained 5-15% more samples per second than one run alone, 25 runs
// 20-35% fewer; a 16 MB budget allows 6 of those.
int64_t max_stack(const Config& config, const EmbeddingCache& cache) {
  constexpr double kStackBytes = 16e6;
  double parameters = 0;  // about: each modality's projection and its share of what follows
  for (const auto& modality : config.data.modalities)
    parameters += static_cast<double>(cache.splits.at("train").features.at(modality).cols + config.model.dim) *
                  static_cast<double>(config.model.dim);
  return std::max<int64_t>(1, static_cast<int64_t>(kStackBytes / (16.0 * parameters)));
}

std::vector<RunGroup> group_runs(const std::vector<const SweepRun*>& runs, const EmbeddingCache& cache, int64_t jobs,
                                 bool together) {
  std::vector<RunGroup> compatible;
  for (const SweepRun* run : runs) {
    auto fits = [&](const RunGroup& g) { return together && can_train_together(g.front()->config, run->config); };
    const auto group = std::find_if(compatible.begin(), compatible.end(), fits);
    if (group == compatible.end())
      compatible.push_back({run});
    else
      group->push_back(run);
  }
  std::vector<RunGroup> groups;
  for (const auto& group : compatible) {
    const auto size = static_cast<int64_t>(group.size());
    const int64_t cap = max_stack(group.front()->config, cache);
    const int64_t parts = (size + cap - 1) / cap;
    for (int64_t p = 0; p < parts; ++p)
      groups.emplace_back(group.begin() + size * p / parts, group.begin() + size * (p + 1) / parts);
  }
  auto larger = [](const RunGroup& a, const RunGroup& b) { return a.size() > b.size(); };
  while (static_cast<int64_t>(groups.size()) < jobs) {
    auto largest = std::max_element(groups.begin(), groups.end(), [&](auto& a, auto& b) { return larger(b, a); });
    if (largest == groups.end() || largest->size() < 2) break;
    RunGroup second(largest->begin() + static_cast<long>(largest->size() / 2), largest->end());
    largest->resize(largest->size() / 2);
    groups.push_back(std::move(second));
  }
  std::stable_sort(groups.begin(), groups.end(),
                   [&](const RunGroup& a, const RunGroup& b) { return group_cost(a, cache) > group_cost(b, cache); });
  return groups;
}

void log_groups(const std::vector<RunGroup>& groups, const EmbeddingCache& cache) {
  for (size_t g = 0; g < groups.size(); ++g) {
    std::vector<std::string> members;
    for (const SweepRun* run : groups[g]) members.push_back(run->condition + " seed " + std::to_string(run->seed));
    std::string apart;
    for (size_t earlier = 0; earlier < g && apart.empty(); ++earlier) {
      const auto blockers = stacking_blockers(groups[earlier].front()->config, groups[g].front()->config);
      const int64_t cap = max_stack(groups[g].front()->config, cache);
      const std::string split = "split from group " + std::to_string(earlier + 1);
      if (!blockers.empty())
        apart = "apart from group " + std::to_string(earlier + 1) + ": " + join(blockers, "; ");
      else if (static_cast<int64_t>(groups[earlier].size() + groups[g].size()) > cap)
        apart = split + ": a stack of this head holds at most " + std::to_string(cap) + " runs";
      else
        apart = split + " so that every job has work";
    }
    spdlog::info("group {}: {} run(s): {}{}", g + 1, groups[g].size(), join(members, ", "),
                 apart.empty() ? "" : " (" + apart + ")");
  }
}

}  // namespace daf
