#pragma once
// A probability for every modality: one number for all of them, or a mapping
// from modality to number ({text: 0.1, audio: 0.3}; modalities it does not
// name get 0). train.modality_dropout is one.
#include <map>
#include <string>
#include <vector>

namespace daf {

struct ModalityRates {
  double all = 0;                      // the one-number form
  std::map<std::string, double> each;  // the mapping form; when not empty, `all` is unused

  double of(const std::string& modality) const;
  std::vector<double> of(const std::vector<std::string>& modalities) const;
  bool any() const;  // some modality has a rate above 0
};

}  // namespace daf
