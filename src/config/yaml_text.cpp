#include "daf/config/yaml_text.h"

#include <map>

#include "daf/util/error.h"

namespace daf {

void reject_bad_keys(const YAML::Node& node, const std::string& origin) {
  if (node.IsSequence()) {
    for (const auto& item : node) reject_bad_keys(item, origin);
  } else if (node.IsMap()) {
    std::map<std::string, int> first_line;
    for (const auto& entry : node) {
      const int line = entry.first.Mark().line + 1;
      if (!entry.first.IsScalar())
        throw InputError(origin + ":" + std::to_string(line) + ": a mapping key must be a plain name or value, found " +
                         (entry.first.IsMap() ? "a mapping" : entry.first.IsSequence() ? "a list" : "an empty key"));
      {
        const auto [it, fresh] = first_line.emplace(entry.first.Scalar(), line);
        if (!fresh)
          throw InputError(origin + ":" + std::to_string(line) + ": key '" + entry.first.Scalar() +
                           "' appears twice in one mapping (first at line " + std::to_string(it->second) + ")");
      }
      reject_bad_keys(entry.second, origin);
    }
  }
}

YAML::Node parse_yaml(const std::string& text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(origin + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw InputError(origin + ": not valid YAML: " + e.msg);
  }
  reject_bad_keys(root, origin);
  return root;
}

std::string flow_yaml(const YAML::Node& node) {
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

}  // namespace daf
