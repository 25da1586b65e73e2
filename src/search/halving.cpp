#include "daf/search/halving.h"

#include <algorithm>

namespace daf {

std::vector<int64_t> halving_rungs(int64_t min_epochs, int64_t eta, int64_t max_epochs) {
  std::vector<int64_t> rungs;
  for (int64_t epochs = std::max<int64_t>(1, min_epochs); epochs < max_epochs; epochs *= std::max<int64_t>(2, eta))
    rungs.push_back(epochs);
  rungs.push_back(max_epochs);
  return rungs;
}

int64_t halving_keep(int64_t trials, int64_t eta) { return std::max<int64_t>(1, trials / std::max<int64_t>(2, eta)); }

}  // namespace daf
