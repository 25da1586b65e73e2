#pragma once
// Cross-validation's pooled runs: for every (condition, seed) whose folds are
// all evaluated, <output>/<condition>/pooled/seed-<seed> holds the test
// predictions of every fold's model on its own test fold, concatenated in fold
// order (eval/test/predictions.csv, whose meta columns gain `cv_fold`), and ablation.csv with
// the task's metrics computed once over all of them, per evaluation condition:
// how the IEMOCAP literature reports WA and UA over 5 folds. The loss is the
// row-weighted mean of the folds' losses. The collect step reads pooled runs as
// it reads the runs of a sweep without folds.
#include <cstdint>

#include "daf/ablate/sweep.h"

namespace daf {

// Pools every (condition, seed) that is complete and not pooled yet; returns how many.
// A shard that finishes calls it too: the last one to finish finds every fold done.
int64_t pool_cv_runs(const Sweep& sweep);

}  // namespace daf
