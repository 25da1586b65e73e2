#include "daf/config/modality_rates.h"

namespace daf {

double ModalityRates::of(const std::string& modality) const {
  if (each.empty()) return all;
  const auto it = each.find(modality);
  return it == each.end() ? 0.0 : it->second;
}

std::vector<double> ModalityRates::of(const std::vector<std::string>& modalities) const {
  std::vector<double> rates;
  for (const auto& m : modalities) rates.push_back(of(m));
  return rates;
}

bool ModalityRates::any() const {
  if (each.empty()) return all > 0;
  for (const auto& [modality, rate] : each)
    if (rate > 0) return true;
  return false;
}

}  // namespace daf
