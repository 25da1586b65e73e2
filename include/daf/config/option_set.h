#pragma once
// The registry of config options. Every option is declared once, with its
// dotted key, default, help text and allowed values; YAML files and
// command-line overrides are parsed against it, so unknown keys, wrong types
// and out-of-range values all fail in one place with the key named.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daf/config/class_weights.h"
#include "daf/config/modality_rates.h"

namespace YAML {
class Node;
}

namespace daf {

// Closed or open numeric bounds; unset bounds are unbounded.
struct Range {
  double min = -1e300;
  double max = 1e300;
  bool min_inclusive = true;
  bool max_inclusive = true;

  static Range at_least(double v) { return {v, 1e300, true, true}; }
  static Range above(double v) { return {v, 1e300, false, true}; }
  static Range closed(double lo, double hi) { return {lo, hi, true, true}; }
  static Range half_open(double lo, double hi) { return {lo, hi, true, false}; }
  bool contains(double v) const;
  std::string describe() const;
};

class OptionSet {
 public:
  OptionSet();
  ~OptionSet();
  OptionSet(const OptionSet&) = delete;
  OptionSet& operator=(const OptionSet&) = delete;

  // Each add() binds a struct field, sets it to its default and records the help.
  void add(const std::string& key, double& field, double default_value, const std::string& help,
           Range range = {});
  void add(const std::string& key, int64_t& field, int64_t default_value, const std::string& help,
           Range range = {});
  void add(const std::string& key, bool& field, bool default_value, const std::string& help);
  // An empty `choices` accepts any string.
  void add(const std::string& key, std::string& field, const std::string& default_value,
           const std::string& help, std::vector<std::string> choices = {});
  // A list of strings; `choices` (if any) applies to each element.
  void add(const std::string& key, std::vector<std::string>& field,
           const std::vector<std::string>& default_value, const std::string& help,
           std::vector<std::string> choices = {});

  // One number for every modality, or a mapping from modality to number; each in `range`.
  // Which modalities may be named is checked with the rest of the config.
  void add(const std::string& key, ModalityRates& field, double default_value, const std::string& help,
           Range range = {});

  // none, balanced, or a list of numbers > 0 (how many is checked with the rest of the config).
  void add(const std::string& key, ClassWeights& field, const std::string& help);

  // Applies a YAML mapping (a whole config file); `origin` names it in errors.
  void apply_yaml(const YAML::Node& root, const std::string& origin);
  // Applies one "dotted.key=value" override; the value is parsed as YAML.
  void apply_override(const std::string& assignment, const std::string& origin = "command line");
  // Sets one key from YAML text (used by apply_override and by tools).
  void set(const std::string& key, const std::string& yaml_value, const std::string& origin);

  bool has(const std::string& key) const;
  // Keys that were set explicitly by a file or override.
  bool was_set(const std::string& key) const;
  std::vector<std::string> keys() const;

  // The resolved values as nested YAML text, each key preceded by its help.
  std::string to_yaml(bool with_help = false) const;
  // One entry per option: key, type, default and help, for --help.
  std::string help_text() const;

  struct Option;  // defined in option_set.cpp

 private:
  void declare(std::unique_ptr<Option> option);
  void apply_node(const YAML::Node& node, const std::string& prefix, const std::string& origin);
  Option& find(const std::string& key, const std::string& origin) const;

  std::vector<std::unique_ptr<Option>> options_;
  std::map<std::string, Option*> by_key_;
};

// `config` as YAML, through the options `declare` binds (each tool's resolved
// config is written or printed this way).
template <class Config>
std::string resolved_yaml(void (*declare)(OptionSet&, Config&), const Config& config) {
  Config bound;
  OptionSet options;
  declare(options, bound);
  bound = config;  // the options refer to `bound`'s fields, which now hold `config`'s values
  return options.to_yaml();
}

}  // namespace daf
