#pragma once
// The `analysis:` section of a sweep file, or of daf-eval's --analysis file (docs/ablation.md,
// "Slice analysis"):
//   analysis:
//     slices:
//       conflict: {between: [text, audio], bins: 3}   # unimodal conditions; bins: the graded version
//       intensity: {bins: [0, 1, 2, 3]}               # |label| edges (regression); class tasks: true
//       gate_entropy: {condition: dynamic, bins: 3}
//       degraded: true
//       column: [speaker]                             # meta or label columns of the cache
//     cross: [conflict, intensity]
//     top: 20
//     permutations: 1000
//     min_size: 30
#include <string>
#include <vector>

#include "daf/analysis/slices.h"

namespace daf {

struct AnalysisCondition {
  std::string name, fusion;
  std::vector<std::string> modalities;
};

// Parses and checks the section (its YAML text, the mapping under `analysis:`) against the
// sweep's conditions and task. `where`: the sweep file (or plan.yaml), for errors.
// `one_model` (daf-eval): `conditions` holds the evaluated model alone; conflict slices,
// which compare a sweep's unimodal conditions, are refused, and gate_entropy reads this
// model's gate whatever condition the file names.
SliceSettings parse_analysis(const std::string& yaml, const std::string& where, const std::string& task,
                             const std::vector<AnalysisCondition>& conditions, bool one_model = false);

}  // namespace daf
