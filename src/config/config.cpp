#include "daf/config/config.h"

#include <algorithm>
#include <set>

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/config/task.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

void check_names(const std::vector<std::string>& names, const std::string& key, const std::string& origin) {
  std::set<std::string> seen;
  for (const auto& name : names) {
    if (name.empty() || name.find('\n') != std::string::npos)
      throw InputError(origin + ": key '" + key + "': expected names without line breaks, found '" + name + "'");
    if (!seen.insert(name).second) throw InputError(origin + ": key '" + key + "': '" + name + "' is listed twice");
  }
}

void check_weights(const ClassWeights& weights, const std::string& key, size_t expected, const std::string& what,
                   const std::string& origin) {
  if (weights.mode == "list" && weights.values.size() != expected)
    throw InputError(origin + ": key '" + key + "': expected " + std::to_string(expected) + " weights (one per " +
                     what + "), found " + std::to_string(weights.values.size()));
}

// The keys of the multiclass and multilabel tasks: set where the task needs
// them, and nowhere else (a key that would be ignored is a mistake).
void validate_task(const Config& config, const std::string& origin) {
  const std::string& task = config.model.task;
  const auto& data = config.data;
  if (task == "multiclass") {
    if (data.classes.size() < 2)
      throw InputError(origin + ": key 'data.classes': model.task=multiclass needs the class names in index order "
                       "(at least two), found " + std::to_string(data.classes.size()));
    check_names(data.classes, "data.classes", origin);
  } else if (!data.classes.empty()) {
    throw InputError(origin + ": key 'data.classes' is only used by model.task=multiclass (model.task is " + task + ")");
  }
  if (task == "multilabel") {
    if (data.targets.empty())
      throw InputError(origin + ": key 'data.targets': model.task=multilabel needs the label columns, e.g. "
                       "[happiness, sadness, anger, surprise, disgust, fear]");
    check_names(data.targets, "data.targets", origin);
  } else if (!data.targets.empty()) {
    throw InputError(origin + ": key 'data.targets' is only used by model.task=multilabel; model.task=" + task +
                     " reads data.target");
  }
  const auto outputs = static_cast<size_t>(task_num_outputs(config));
  if (config.train.class_weights.any() && !is_class_task(task))
    throw InputError(origin + ": key 'train.class_weights' is for binary, seven_class and multiclass tasks" +
                     std::string(task == "multilabel" ? "; multilabel weights positives with train.pos_weight" : ""));
  check_weights(config.train.class_weights, "train.class_weights", outputs, "class", origin);
  if (config.train.pos_weight.any() && task != "multilabel")
    throw InputError(origin + ": key 'train.pos_weight' is only used by model.task=multilabel" +
                     std::string(is_class_task(task) ? "; use train.class_weights" : ""));
  check_weights(config.train.pos_weight, "train.pos_weight", outputs, "label in data.targets", origin);
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

  validate_task(config, origin);
  auto& metric = config.train.early_stop_metric;
  if (metric == "auto") metric = primary_metric(config.model.task);
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

// The cv section: what it conflicts with and what only makes sense together.
// (cv.stratify is documented as applying to k-fold over utterances of class tasks
// only: a resolved config.yaml carries its default everywhere.)
void validate_cv(const Config& config, const std::string& origin) {
  const CvConfig& cv = config.cv;
  if (!cv.enabled()) {
    if (!cv.valid_by.empty())
      throw InputError(origin + ": key 'cv.valid.by' is set, but cross-validation is off: set cv.by (groups) or "
                       "cv.folds (k-fold)");
    return;
  }
  if (cv.folds == 1)
    throw InputError(origin + ": key 'cv.folds': expected at least 2 folds (or 0 with cv.by: one per group)");
  if (!config.data.split_file.empty())
    throw InputError(origin + ": keys 'cv' and 'data.split_file' conflict: cross-validation writes each fold's "
                     "split file itself; remove one of them");
  if (cv.pool.empty()) throw InputError(origin + ": key 'cv.pool': expected at least one cache split");
  check_names(cv.pool, "cv.pool", origin);
}

}  // namespace

std::vector<std::string> early_stop_metrics(const std::string& task) {
  if (task == "regression")
    return {"MAE",        "Corr",          "Has0_acc_2", "Has0_F1_score", "Non0_acc_2",
            "Non0_F1_score", "Mult_acc_5", "Mult_acc_7", "loss"};
  if (task == "multiclass") return {"accuracy", "F1_weighted", "F1_macro", "UAR", "loss"};
  if (task == "multilabel") return {"accuracy_mean", "WA_mean", "F1_macro", "F1_micro", "loss"};
  return {"accuracy", "F1_weighted", "F1_macro", "loss"};
}

bool metric_higher_is_better(const std::string& metric) { return metric != "MAE" && metric != "loss"; }

Config load_config(const std::string& file, const std::vector<std::string>& overrides) {
  Config config;
  OptionSet options;
  declare_options(options, config);
  apply_config_sources(options, file, overrides);
  validate(config, file.empty() ? "config" : file);
  validate_cv(config, file.empty() ? "config" : file);
  return config;
}

Config load_config_text(const std::string& yaml, const std::string& origin, const std::vector<std::string>& overrides) {
  Config config;
  OptionSet options;
  declare_options(options, config);
  apply_config_text(options, yaml, origin, overrides);
  validate(config, origin);
  validate_cv(config, origin);
  return config;
}

std::string config_to_yaml(const Config& config) { return resolved_yaml(declare_options, config); }

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
