#include "daf/config/config_sources.h"

#include <yaml-cpp/yaml.h>

#include "daf/config/option_set.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"

namespace daf {

void apply_config_sources(OptionSet& options, const std::string& file, const std::vector<std::string>& overrides) {
  if (!file.empty()) {
    const std::string text = read_file(file);
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      throw InputError(file + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
    }
    options.apply_yaml(root, file);
  }
  for (const auto& assignment : overrides) options.apply_override(assignment);
}

}  // namespace daf
