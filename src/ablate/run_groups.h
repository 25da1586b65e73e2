#pragma once
// How daf-ablate divides a sweep's runs into groups, each trained as one
// stacked model (runs that differ only in per_run_keys(), see
// train/trainer.h) by one of its jobs.
#include <cstdint>
#include <vector>

#include "daf/ablate/sweep.h"
#include "daf/data/embedding_cache.h"

namespace daf {

using RunGroup = std::vector<const SweepRun*>;

// The most runs of this config's head one stack holds: as many as keep the
// stack's parameters, gradients and Adam moments within about 16 MB (at
// least 1).
int64_t max_stack(const Config& config, const EmbeddingCache& cache);

// Groups the runs that can train together (all apart unless `together`), in
// stacks of at most max_stack runs (a larger group is cut into near-equal
// stacks); with fewer groups than jobs, the largest groups are halved so
// every job has work. The costliest first.
std::vector<RunGroup> group_runs(const std::vector<const SweepRun*>& runs, const EmbeddingCache& cache, int64_t jobs,
                                 bool together);

// Logs which runs each group holds, and why a group could not join an earlier one.
void log_groups(const std::vector<RunGroup>& groups, const EmbeddingCache& cache);

}  // namespace daf
