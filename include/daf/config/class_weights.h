#pragma once
// Weights of a classification loss: none, balanced (computed from the
// training split), or one number per class (train.class_weights) or per label
// (train.pos_weight, the weight of each label's positive term).
#include <string>
#include <vector>

namespace daf {

struct ClassWeights {
  std::string mode = "none";   // none | balanced | list
  std::vector<double> values;  // mode "list": one weight per class or label

  bool any() const { return mode != "none"; }
};

}  // namespace daf
