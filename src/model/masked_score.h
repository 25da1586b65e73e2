#pragma once
// The gate's score for an absent modality, shared by the single and the
// stacked head so that both give the same softmax.

namespace daf {

// Large enough that exp() underflows to exactly 0, finite so a row with every
// modality masked still gives a defined (uniform) softmax.
constexpr double kMaskedScore = -1e9;

}  // namespace daf
