#pragma once
// Reading a YAML config file and command-line overrides into an OptionSet.
// Shared by every tool's config (training, synthetic data, ...).
#include <string>
#include <vector>

namespace daf {

class OptionSet;

// Applies `file` (skipped when empty) and then each "section.key=value" override.
// Errors name the file and line, or "command line", and the key.
void apply_config_sources(OptionSet& options, const std::string& file, const std::vector<std::string>& overrides);
// Applies YAML text (`origin` names it in errors), then the overrides.
void apply_config_text(OptionSet& options, const std::string& yaml, const std::string& origin,
                       const std::vector<std::string>& overrides);

}  // namespace daf
