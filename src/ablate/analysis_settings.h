#pragma once
// The `analysis:` section of a sweep file (docs/ablation.md, "Slice analysis"):
//   analysis:
//     slices:
//       conflict: {between: [text, audio], bins: 3}   # unimodal conditions; bins: the graded version
//       intensity: {bins: [0, 1, 2, 3]}               # |label| edges (regression); class tasks: true
//       gate_entropy: {condition: dynamic, bins: 3}
//       degraded: true
//       column: [noisy_text]                          # label columns of the cache
//     cross: [conflict, intensity]
//     top: 20
//     permutations: 1000
//     min_size: 30
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "daf/analysis/slices.h"

namespace daf {

struct AnalysisCondition {
  std::string name, fusion;
  std::vector<std::string> modalities;
};

// Parses and checks the section against the sweep's conditions and task. `where`: the
// sweep file (or plan.yaml), for errors.
SliceSettings parse_analysis(const YAML::Node& node, const std::string& where, const std::string& task,
                             const std::vector<AnalysisCondition>& conditions);

}  // namespace daf
