#include "daf/config/config_sources.h"

#include <yaml-cpp/yaml.h>

#include "daf/config/option_set.h"
#include "daf/config/yaml_text.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"

namespace daf {

void apply_config_text(OptionSet& options, const std::string& yaml, const std::string& origin,
                       const std::vector<std::string>& overrides) {
  const YAML::Node root = parse_yaml(yaml, origin);
  options.apply_yaml(root, origin);
  for (const auto& assignment : overrides) options.apply_override(assignment);
}

void apply_config_sources(OptionSet& options, const std::string& file, const std::vector<std::string>& overrides) {
  apply_config_text(options, file.empty() ? "" : read_file(file), file, overrides);
}

}  // namespace daf
