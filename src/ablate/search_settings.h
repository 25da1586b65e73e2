#pragma once
// The `search:` section of a sweep file (docs/ablation.md, "Search").
#include <yaml-cpp/yaml.h>

#include <string>

#include "daf/ablate/sweep.h"

namespace daf {

// Parses and checks the section and draws its trials. `where`: the sweep
// file, for errors; `base`: the base config (with the sweep's `set`), whose
// task decides which metrics are valid and whose early-stopping metric is the
// default; `seeds`: the sweep's seeds, the default final seeds.
SearchSettings parse_search(const YAML::Node& node, const std::string& where, const Config& base,
                            const std::vector<int64_t>& seeds);

}  // namespace daf
