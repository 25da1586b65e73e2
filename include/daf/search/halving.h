#pragma once
// Successive halving (Jamieson & Talwalkar 2016; Li et al., Hyperband, 2018):
// every trial trains to the first rung, the best 1/eta of them continue to
// the next, and so on; the last rung is the full training length.
#include <cstdint>
#include <vector>

namespace daf {

// The rungs' epochs: min_epochs, min_epochs * eta, ... while below
// max_epochs, then max_epochs. min_epochs >= 1, eta >= 2.
std::vector<int64_t> halving_rungs(int64_t min_epochs, int64_t eta, int64_t max_epochs);

// How many of `trials` continue past a rung: floor(trials / eta), at least 1.
int64_t halving_keep(int64_t trials, int64_t eta);

}  // namespace daf
