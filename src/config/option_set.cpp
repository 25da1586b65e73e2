#include "daf/config/option_set.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {

struct OptionSet::Option {
  std::string key;
  std::string help;
  std::string expected;  // e.g. "a number > 0", shown in errors and --help
  std::string default_text;
  bool was_set = false;
  // Parses `node` into the bound field or returns an error text ("" when fine).
  std::function<std::string(const YAML::Node&)> parse;
  // Emits the current value.
  std::function<void(YAML::Emitter&)> emit;
};

namespace {

std::string node_text(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

std::string location(const std::string& origin, const YAML::Node& node) {
  const auto mark = node.Mark();
  if (mark.line < 0 || origin == "command line") return origin;
  return origin + ":" + std::to_string(mark.line + 1);
}

std::string choices_text(const std::vector<std::string>& choices) { return join(choices, "|"); }

std::string choice_error(const std::string& value, const std::vector<std::string>& choices) {
  return "expected one of " + choices_text(choices) + ", found '" + value + "'" + did_you_mean(value, choices);
}

bool in(const std::vector<std::string>& choices, const std::string& value) {
  for (const auto& c : choices)
    if (c == value) return true;
  return false;
}

template <class T>
bool decode_scalar(const YAML::Node& node, T& out) {
  if (!node.IsScalar()) return false;
  return YAML::convert<T>::decode(node, out);
}

}  // namespace

bool Range::contains(double v) const {
  const bool above_min = min_inclusive ? v >= min : v > min;
  const bool below_max = max_inclusive ? v <= max : v < max;
  return above_min && below_max;
}

std::string Range::describe() const {
  const bool has_min = min > -1e299, has_max = max < 1e299;
  if (has_min && has_max)
    return std::string("in ") + (min_inclusive ? "[" : "(") + format_number(min) + ", " + format_number(max) +
           (max_inclusive ? "]" : ")");
  if (has_min) return std::string(min_inclusive ? ">= " : "> ") + format_number(min);
  if (has_max) return std::string(max_inclusive ? "<= " : "< ") + format_number(max);
  return "";
}

OptionSet::OptionSet() = default;
OptionSet::~OptionSet() = default;

void OptionSet::declare(std::unique_ptr<Option> option) {
  const auto dots = std::count(option->key.begin(), option->key.end(), '.');
  if (dots != 1 && dots != 2)
    throw std::logic_error("option keys are 'section.name' or 'section.subsection.name': " + option->key);
  if (by_key_.count(option->key)) throw std::logic_error("option declared twice: " + option->key);
  by_key_[option->key] = option.get();
  options_.push_back(std::move(option));
}

namespace {

// Integers and reals differ only in their decoder, their name in messages and
// how the default is printed.
template <class T>
void bind_number(OptionSet::Option& option, T& field, Range range, const std::string& noun) {
  const std::string bounds = range.describe();
  option.expected = bounds.empty() ? noun : noun + " " + bounds;
  option.parse = [&field, range, expected = option.expected](const YAML::Node& node) -> std::string {
    T value;
    if (!decode_scalar(node, value) || !std::isfinite(static_cast<double>(value)) ||
        !range.contains(static_cast<double>(value)))
      return "expected " + expected + ", found " + node_text(node);
    field = value;
    return "";
  };
}

}  // namespace

void OptionSet::add(const std::string& key, double& field, double default_value, const std::string& help,
                    Range range) {
  field = default_value;
  auto option = std::make_unique<Option>();
  option->key = key;
  option->help = help;
  option->default_text = format_number(default_value);
  bind_number(*option, field, range, "a number");
  option->emit = [&field](YAML::Emitter& out) { out << format_number(field); };
  declare(std::move(option));
}

void OptionSet::add(const std::string& key, int64_t& field, int64_t default_value, const std::string& help,
                    Range range) {
  field = default_value;
  auto option = std::make_unique<Option>();
  option->key = key;
  option->help = help;
  option->default_text = std::to_string(default_value);
  bind_number(*option, field, range, "an integer");
  option->emit = [&field](YAML::Emitter& out) { out << field; };
  declare(std::move(option));
}

void OptionSet::add(const std::string& key, bool& field, bool default_value, const std::string& help) {
  field = default_value;
  auto option = std::make_unique<Option>();
  option->key = key;
  option->help = help;
  option->expected = "true or false";
  option->default_text = default_value ? "true" : "false";
  option->parse = [&field](const YAML::Node& node) -> std::string {
    bool value;
    if (!decode_scalar(node, value)) return "expected true or false, found " + node_text(node);
    field = value;
    return "";
  };
  option->emit = [&field](YAML::Emitter& out) { out << field; };
  declare(std::move(option));
}

void OptionSet::add(const std::string& key, std::string& field, const std::string& default_value,
                    const std::string& help, std::vector<std::string> choices) {
  field = default_value;
  auto option = std::make_unique<Option>();
  option->key = key;
  option->help = help;
  option->expected = choices.empty() ? "a string" : "one of " + choices_text(choices);
  option->default_text = default_value.empty() ? "\"\"" : default_value;
  option->parse = [&field, choices](const YAML::Node& node) -> std::string {
    if (!node.IsScalar()) return "expected a string, found " + node_text(node);
    const std::string value = node.Scalar();
    if (!choices.empty() && !in(choices, value)) return choice_error(value, choices);
    field = value;
    return "";
  };
  option->emit = [&field](YAML::Emitter& out) { out << field; };
  declare(std::move(option));
}

void OptionSet::add(const std::string& key, std::vector<std::string>& field,
                    const std::vector<std::string>& default_value, const std::string& help,
                    std::vector<std::string> choices) {
  field = default_value;
  auto option = std::make_unique<Option>();
  option->key = key;
  option->help = help;
  option->expected = choices.empty() ? "a list of strings" : "a list of " + choices_text(choices);
  option->default_text = "[" + join(default_value, ", ") + "]";
  option->parse = [&field, choices](const YAML::Node& node) -> std::string {
    std::vector<std::string> values;
    if (node.IsScalar()) {
      values.push_back(node.Scalar());  // a single value is a one-element list
    } else if (node.IsSequence()) {
      for (const auto& item : node) {
        if (!item.IsScalar()) return "expected a list of strings, found " + node_text(node);
        values.push_back(item.Scalar());
      }
    } else {
      return "expected a list of strings, found " + node_text(node);
    }
    for (const auto& value : values)
      if (!choices.empty() && !in(choices, value)) return choice_error(value, choices);
    field = values;
    return "";
  };
  option->emit = [&field](YAML::Emitter& out) {
    out << YAML::Flow << YAML::BeginSeq;
    for (const auto& value : field) out << value;
    out << YAML::EndSeq;
  };
  declare(std::move(option));
}

void OptionSet::add(const std::string& key, ModalityRates& field, double default_value, const std::string& help,
                    Range range) {
  field = ModalityRates{default_value, {}};
  auto option = std::make_unique<Option>();
  option->key = key;
  option->help = help;
  const std::string number = "a number " + range.describe();
  option->expected = number + ", or a mapping from modality to such a number";
  option->default_text = format_number(default_value);
  option->parse = [&field, range, number, expected = option->expected](const YAML::Node& node) -> std::string {
    const auto decode = [&](const YAML::Node& n, double& v) {
      return decode_scalar(n, v) && std::isfinite(v) && range.contains(v);
    };
    ModalityRates value;
    if (node.IsMap() && node.size() > 0) {
      for (const auto& entry : node) {
        if (!entry.first.IsScalar() || entry.first.Scalar().empty())
          return "expected modality names as the mapping's keys, found " + node_text(entry.first);
        const std::string modality = entry.first.Scalar();
        double rate = 0;
        if (!decode(entry.second, rate))
          return "modality '" + modality + "': expected " + number + ", found " + node_text(entry.second);
        value.each[modality] = rate;
      }
    } else if (!decode(node, value.all)) {
      return "expected " + expected + ", found " + node_text(node);
    }
    field = value;
    return "";
  };
  option->emit = [&field](YAML::Emitter& out) {
    if (field.each.empty()) {
      out << format_number(field.all);
      return;
    }
    out << YAML::Flow << YAML::BeginMap;
    for (const auto& [modality, rate] : field.each) out << YAML::Key << modality << YAML::Value << format_number(rate);
    out << YAML::EndMap;
  };
  declare(std::move(option));
}

void OptionSet::add(const std::string& key, ClassWeights& field, const std::string& help) {
  field = ClassWeights{};
  auto option = std::make_unique<Option>();
  option->key = key;
  option->help = help;
  option->expected = "none, balanced, or a list of numbers > 0";
  option->default_text = "none";
  option->parse = [&field, expected = option->expected](const YAML::Node& node) -> std::string {
    ClassWeights value;
    if (node.IsScalar() && (node.Scalar() == "none" || node.Scalar() == "balanced")) {
      value.mode = node.Scalar();
    } else if (node.IsSequence() && node.size() > 0) {
      value.mode = "list";
      for (const auto& item : node) {
        double v = 0;
        if (!decode_scalar(item, v) || !std::isfinite(v) || v <= 0)
          return "expected " + expected + ", found " + node_text(item) + " in " + node_text(node);
        value.values.push_back(v);
      }
    } else {
      return "expected " + expected + ", found " + node_text(node);
    }
    field = value;
    return "";
  };
  option->emit = [&field](YAML::Emitter& out) {
    if (field.mode != "list") {
      out << field.mode;
      return;
    }
    out << YAML::Flow << YAML::BeginSeq;
    for (double v : field.values) out << format_number(v);
    out << YAML::EndSeq;
  };
  declare(std::move(option));
}

OptionSet::Option& OptionSet::find(const std::string& key, const std::string& origin) const {
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) throw InputError(origin + ": unknown key '" + key + "'" + did_you_mean(key, keys()));
  return *it->second;
}

bool OptionSet::has(const std::string& key) const { return by_key_.count(key) > 0; }

bool OptionSet::was_set(const std::string& key) const {
  const auto it = by_key_.find(key);
  return it != by_key_.end() && it->second->was_set;
}

std::vector<std::string> OptionSet::keys() const {
  std::vector<std::string> out;
  for (const auto& option : options_) out.push_back(option->key);
  return out;
}

void OptionSet::apply_node(const YAML::Node& node, const std::string& prefix, const std::string& origin) {
  for (const auto& entry : node) {
    const std::string name = entry.first.as<std::string>();
    const std::string key = prefix.empty() ? name : prefix + "." + name;
    const YAML::Node& value = entry.second;
    if (prefix.empty()) {
      // Top level: sections.
      bool is_section = false;
      for (const auto& option : options_)
        if (option->key.compare(0, key.size() + 1, key + ".") == 0) is_section = true;
      if (!is_section) {
        std::vector<std::string> sections;
        for (const auto& option : options_) {
          const std::string section = option->key.substr(0, option->key.find('.'));
          if (!in(sections, section)) sections.push_back(section);
        }
        throw InputError(location(origin, entry.first) + ": unknown section '" + key + "'" +
                         did_you_mean(key, sections) + " (sections: " + join(sections, ", ") + ")");
      }
      if (!value.IsMap())
        throw InputError(location(origin, value) + ": section '" + key + "' must be a mapping of keys, found " +
                         node_text(value));
      apply_node(value, key, origin);
      continue;
    }
    // A sub-section (cv.valid: {by: speaker, fraction: 0.2}): a mapping whose key is
    // no option itself but the prefix of some.
    if (value.IsMap() && !by_key_.count(key)) {
      bool is_subsection = false;
      for (const auto& option : options_)
        if (option->key.compare(0, key.size() + 1, key + ".") == 0) is_subsection = true;
      if (is_subsection) {
        apply_node(value, key, origin);
        continue;
      }
    }
    Option& option = find(key, location(origin, entry.first));
    const std::string error = option.parse(value);
    if (!error.empty()) throw InputError(location(origin, value) + ": key '" + key + "': " + error);
    option.was_set = true;
  }
}

void OptionSet::apply_yaml(const YAML::Node& root, const std::string& origin) {
  if (!root.IsDefined() || root.IsNull()) return;  // an empty file sets nothing
  if (!root.IsMap()) throw InputError(origin + ": expected a mapping of sections, found " + node_text(root));
  apply_node(root, "", origin);
}

void OptionSet::set(const std::string& key, const std::string& yaml_value, const std::string& origin) {
  Option& option = find(key, origin);
  YAML::Node node;
  try {
    node = YAML::Load(yaml_value);
  } catch (const YAML::Exception& e) {
    throw InputError(origin + ": key '" + key + "': cannot parse value '" + yaml_value + "': " + e.msg);
  }
  if (yaml_value.empty()) node = YAML::Node(std::string());
  const std::string error = option.parse(node);
  if (!error.empty()) throw InputError(origin + ": key '" + key + "': " + error);
  option.was_set = true;
}

void OptionSet::apply_override(const std::string& assignment, const std::string& origin) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(origin + ": expected an override of the form section.key=value, found '" + assignment + "'");
  set(trim(assignment.substr(0, eq)), trim(assignment.substr(eq + 1)), origin);
}

std::string OptionSet::to_yaml(bool with_help) const {
  // Keys are section.key or section.subsection.key (cv.valid.by): each level a mapping.
  YAML::Emitter out;
  std::string section, subsection;
  out << YAML::BeginMap;
  for (const auto& option : options_) {
    const auto dot = option->key.find('.');
    const std::string this_section = option->key.substr(0, dot);
    std::string rest = option->key.substr(dot + 1);
    const auto second_dot = rest.find('.');
    const std::string this_subsection = second_dot == std::string::npos ? "" : rest.substr(0, second_dot);
    if (this_section != section || this_subsection != subsection) {
      if (!subsection.empty()) out << YAML::EndMap;
      if (this_section != section) {
        if (!section.empty()) out << YAML::EndMap;
        section = this_section;
        out << YAML::Key << section << YAML::Value << YAML::BeginMap;
      }
      subsection = this_subsection;
      if (!subsection.empty()) out << YAML::Key << subsection << YAML::Value << YAML::BeginMap;
    }
    if (with_help) out << YAML::Comment(option->help);
    out << YAML::Key << (subsection.empty() ? rest : rest.substr(second_dot + 1)) << YAML::Value;
    option->emit(out);
  }
  if (!subsection.empty()) out << YAML::EndMap;
  if (!section.empty()) out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string OptionSet::help_text() const {
  std::ostringstream text;
  for (const auto& option : options_) {
    text << "  " << option->key << " (" << option->expected << ", default " << option->default_text << ")\n"
         << "      " << option->help << "\n";
  }
  return text.str();
}

}  // namespace daf
