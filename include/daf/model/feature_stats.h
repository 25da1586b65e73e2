#pragma once
// Per-feature z-score statistics, computed on the train split and stored with
// the model so evaluation normalises exactly as training did.
#include <vector>

#include "daf/data/embedding_cache.h"

namespace daf {

struct FeatureStats {
  std::vector<float> mean;
  std::vector<float> std;  // never 0: constant features keep std 1
};

// Statistics over the rows of `matrix` whose `present` flag is set (all rows if `present` is empty).
FeatureStats compute_feature_stats(const FeatureMatrix& matrix, const std::vector<uint8_t>& present = {});
void normalize_in_place(FeatureMatrix& matrix, const FeatureStats& stats);

}  // namespace daf
