#pragma once
// Parsing YAML (and JSON) text the way every daf file is read: syntax errors
// and duplicate keys are InputErrors naming the origin and line. yaml-cpp
// itself accepts a repeated key silently (the last one wins), which hides
// typos such as two `train:` sections.
#include <yaml-cpp/yaml.h>

#include <string>

namespace daf {

YAML::Node parse_yaml(const std::string& text, const std::string& origin);

// InputError "ORIGIN:LINE: key 'K' appears twice in one mapping (first at
// line L)", and for a key that is not a plain value (a mapping, list or
// nothing used as a key: `{a: 1}: 2`, `? [x]`), which no daf file has.
void reject_bad_keys(const YAML::Node& node, const std::string& origin);

// A node as one line of YAML flow text ("[text, audio]", "{a: 1}"), for
// overrides and error messages.
std::string flow_yaml(const YAML::Node& node);

}  // namespace daf
