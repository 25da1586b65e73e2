#include "daf/config/config.h"

#include <algorithm>
#include <set>

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Checks that involve more than one key; single-key types and ranges are
// already enforced by the OptionSet.
void validate(Config& config, const std::string& origin) {
  const auto& modalities = config.data.modalities;
  if (modalities.empty()) throw InputError(origin + ": key 'data.modalities': expected at least one modality");
  std::set<std::string> seen;
  for (const auto& m : modalities) {
    if (m.empty()) throw InputError(origin + ": key 'data.modalities': empty modality name");
    if (!seen.insert(m).second)
      throw InputError(origin + ": key 'data.modalities': modality '" + m + "' is listed twice");
  }
  if (config.data.cache.empty())
    throw InputError(origin + ": key 'data.cache' is not set: expected the path of an HDF5 embedding cache");

  auto& metric = config.train.early_stop_metric;
  if (metric == "auto") metric = config.model.task == "regression" ? "MAE" : "F1_weighted";
  const auto allowed = early_stop_metrics(config.model.task);
  if (!contains(allowed, metric))
    throw InputError(origin + ": key 'train.early_stop_metric': expected one of " + join(allowed, "|") +
                     " for model.task=" + config.model.task + ", found '" + metric + "'" +
                     did_you_mean(metric, allowed));
  for (const auto& [modality, rate] : config.train.modality_dropout.each)
    if (!contains(modalities, modality))
      throw InputError(origin + ": key 'train.modality_dropout': modality '" + modality +
                       "' is not in data.modalities [" + join(modalities, ", ") + "]" +
                       did_you_mean(modality, modalities));
  if (config.train.modality_dropout.any() && modalities.size() < 2)
    throw InputError(origin + ": key 'train.modality_dropout': needs at least two modalities in data.modalities");
}

}  // namespace

std::vector<std::string> early_stop_metrics(const std::string& task) {
  if (task == "regression")
    return {"MAE",        "Corr",          "Has0_acc_2", "Has0_F1_score", "Non0_acc_2",
            "Non0_F1_score", "Mult_acc_5", "Mult_acc_7", "loss"};
  return {"accuracy", "F1_weighted", "F1_macro", "loss"};
}

bool metric_higher_is_better(const std::string& metric) { return metric != "MAE" && metric != "loss"; }

Config load_config(const std::string& file, const std::vector<std::string>& overrides) {
  Config config;
  OptionSet options;
  declare_options(options, config);
  apply_config_sources(options, file, overrides);
  validate(config, file.empty() ? "config" : file);
  return config;
}

Config load_config_text(const std::string& yaml, const std::string& origin, const std::vector<std::string>& overrides) {
  Config config;
  OptionSet options;
  declare_options(options, config);
  apply_config_text(options, yaml, origin, overrides);
  validate(config, origin);
  return config;
}

std::string config_to_yaml(const Config& config) {
  Config bound;
  OptionSet options;
  declare_options(options, bound);
  bound = config;  // the options refer to `bound`'s fields, which now hold `config`'s values
  return options.to_yaml();
}

}  // namespace daf

#include <yaml-cpp/yaml.h>

namespace daf {

std::vector<std::string> config_differences(const Config& before, const Config& after) {
  const YAML::Node a = YAML::Load(config_to_yaml(before));
  const YAML::Node b = YAML::Load(config_to_yaml(after));
  std::vector<std::string> differences;
  for (const auto& section : a) {
    const std::string name = section.first.as<std::string>();
    if (name == "output") continue;
    for (const auto& entry : section.second) {
      const std::string key = entry.first.as<std::string>();
      if (name == "train" && key == "threads") continue;
      const std::string old_value = YAML::Dump(entry.second);
      const std::string new_value = YAML::Dump(b[name][key]);
      if (old_value != new_value) differences.push_back(name + "." + key + ": " + old_value + " -> " + new_value);
    }
  }
  return differences;
}

}  // namespace daf
