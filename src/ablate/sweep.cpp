#include "daf/ablate/sweep.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "daf/config/option_set.h"
#include "daf/config/task.h"
#include "daf/data/cache_io.h"
#include "daf/config/yaml_text.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "daf/search/halving.h"
#include "daf/analysis/analysis_settings.h"
#include "search_settings.h"

namespace daf {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kSweepKeys = {"base", "base_config", "set", "conditions", "grid", "exclude",
                                             "seeds", "evaluate", "compare", "output", "search", "analysis"};

std::string flow(const YAML::Node& node) { return flow_yaml(node); }

// A sweep key whose value must be one string (a file name, a condition name).
std::string string_value(const YAML::Node& node, const std::string& key, const std::string& path,
                         const std::string& what = "a string") {
  if (!node.IsScalar())
    throw InputError(path + ":" + std::to_string(node.Mark().line + 1) + ": '" + key + "': expected " + what +
                     ", found " + flow(node));
  return node.Scalar();
}

// {key: value, ...} -> ["key=value", ...]
std::vector<std::string> assignments(const YAML::Node& map, const std::string& where) {
  if (!map.IsMap()) throw InputError(where + ": expected a mapping of section.key: value, found " + flow(map));
  std::vector<std::string> out;
  for (const auto& entry : map) out.push_back(entry.first.as<std::string>() + "=" + flow(entry.second));
  return out;
}

// A value as it appears in a condition name: lists joined by '+'.
std::string name_part(const YAML::Node& value) {
  if (value.IsSequence()) {
    std::vector<std::string> items;
    for (const auto& item : value) items.push_back(name_part(item));
    return join(items, "+");
  }
  return value.IsScalar() ? value.Scalar() : flow(value);
}

struct GridAxis {
  std::string key;
  std::vector<YAML::Node> values;
};

std::vector<GridAxis> parse_grid(const YAML::Node& grid, const std::string& where) {
  std::vector<GridAxis> axes;
  if (!grid) return axes;
  if (!grid.IsMap()) throw InputError(where + ": 'grid' must map section.key to a list of values");
  for (const auto& entry : grid) {
    GridAxis axis{entry.first.as<std::string>(), {}};
    if (!entry.second.IsSequence() || entry.second.size() == 0)
      throw InputError(where + ": grid entry '" + axis.key + "' must be a non-empty list of values, found " +
                       flow(entry.second));
    for (const auto& value : entry.second) axis.values.push_back(value);
    axes.push_back(axis);
  }
  return axes;
}

bool excluded(const std::vector<GridAxis>& axes, const std::vector<size_t>& choice, const YAML::Node& exclude,
              const std::string& where) {
  if (!exclude) return false;
  for (const auto& rule : exclude) {
    if (!rule.IsMap()) throw InputError(where + ": each 'exclude' entry must be a mapping of grid keys to values");
    bool all = true;
    for (const auto& entry : rule) {
      const std::string key = entry.first.as<std::string>();
      const auto axis = std::find_if(axes.begin(), axes.end(), [&](const GridAxis& a) { return a.key == key; });
      if (axis == axes.end()) throw InputError(where + ": exclude names '" + key + "', which is not a grid key");
      if (flow(axis->values[choice[static_cast<size_t>(axis - axes.begin())]]) != flow(entry.second)) all = false;
    }
    if (all) return true;
  }
  return false;
}

// The cartesian product of the grid, as conditions (name, overrides).
std::vector<SweepCondition> expand_grid(const std::vector<GridAxis>& axes, const YAML::Node& exclude,
                                        const std::string& where) {
  std::vector<SweepCondition> out;
  if (axes.empty()) return {SweepCondition{}};
  std::vector<size_t> choice(axes.size(), 0);
  while (true) {
    if (!excluded(axes, choice, exclude, where)) {
      SweepCondition condition;
      std::vector<std::string> parts;
      for (size_t a = 0; a < axes.size(); ++a) {
        const auto& value = axes[a].values[choice[a]];
        condition.overrides.push_back(axes[a].key + "=" + flow(value));
        parts.push_back(axes[a].key.substr(axes[a].key.find('.') + 1) + "=" + name_part(value));
      }
      condition.name = join(parts, ",");
      out.push_back(condition);
    }
    size_t a = axes.size();
    while (a > 0 && ++choice[a - 1] == axes[a - 1].values.size()) choice[--a] = 0;
    if (a == 0) break;
  }
  if (out.empty()) throw InputError(where + ": exclude removes every combination of the grid; nothing to run");
  return out;
}

std::vector<SweepCondition> parse_conditions(const YAML::Node& root, const std::string& where) {
  // A search needs no conditions of its own: those it has are trained next to its best trials.
  if (root["search"] && !root["conditions"] && !root["grid"]) return {};
  std::vector<SweepCondition> named;
  if (const auto list = root["conditions"]) {
    if (!list.IsSequence()) throw InputError(where + ": 'conditions' must be a list of {name, set}");
    for (const auto& item : list) {
      if (!item.IsMap() || !item["name"])
        throw InputError(where + ": each condition needs a 'name' (and a 'set' mapping), found " + flow(item));
      SweepCondition c{string_value(item["name"], "conditions: name", where), {}};
      if (item["set"]) c.overrides = assignments(item["set"], where + ": condition '" + c.name + "'");
      named.push_back(c);
    }
  }
  const auto grid = expand_grid(parse_grid(root["grid"], where), root["exclude"], where);
  if (named.empty()) named.push_back(SweepCondition{});
  std::vector<SweepCondition> out;
  for (const auto& c : named)
    for (const auto& g : grid) {
      SweepCondition combined{c.name.empty() ? g.name : (g.name.empty() ? c.name : c.name + "," + g.name),
                              c.overrides};
      combined.overrides.insert(combined.overrides.end(), g.overrides.begin(), g.overrides.end());
      if (combined.name.empty()) combined.name = "base";
      out.push_back(combined);
    }
  std::set<std::string> names;
  for (const auto& c : out) {
    if (root["search"] && (c.name.rfind("trial-", 0) == 0 || c.name.rfind("best-", 0) == 0))
      throw InputError(where + ": condition '" + c.name + "': names starting with trial- or best- are the search's");
    if (!names.insert(c.name).second) throw InputError(where + ": condition '" + c.name + "' appears twice");
    if (c.name.find('/') != std::string::npos)
      throw InputError(where + ": condition name '" + c.name + "' must not contain '/'");
  }
  return out;
}

std::vector<EvalCondition> parse_evaluations(const YAML::Node& evaluate, const std::string& where) {
  std::vector<EvalCondition> out = {EvalCondition{"clean", "", false, 0}};
  if (!evaluate) return out;
  for (const auto& entry : evaluate) {
    const std::string key = entry.first.as<std::string>();
    if (key != "mask" && key != "noise" && key != "missing_rate")
      throw InputError(where + ": evaluate: unknown key '" + key + "'" +
                       did_you_mean(key, {"mask", "noise", "missing_rate"}));
  }
  if (const auto masks = evaluate["mask"])
    for (const auto& m : masks) {
      const std::string modality = string_value(m, "evaluate.mask", where, "modality names");
      out.push_back({"mask-" + modality, modality, true, 0});
    }
  if (const auto noise = evaluate["noise"]) {
    if (!noise["modalities"] || !noise["std"])
      throw InputError(where + ": evaluate.noise needs 'modalities' and 'std' lists");
    for (const auto& m : noise["modalities"])
      for (const auto& s : noise["std"]) {
        double std_value = 0;
        if (!YAML::convert<double>::decode(s, std_value) || std_value <= 0)
          throw InputError(where + ": evaluate.noise.std: expected numbers > 0, found " + flow(s));
        out.push_back({"noise-" + m.as<std::string>() + "-" + format_number(std_value), m.as<std::string>(), false,
                       std_value});
      }
  }
  if (const auto missing = evaluate["missing_rate"]) {
    if (!missing.IsMap() || !missing["modalities"] || !missing["rates"] || !missing["modalities"].IsSequence() ||
        !missing["rates"].IsSequence() || missing["modalities"].size() == 0 || missing["rates"].size() == 0)
      throw InputError(where + ": evaluate.missing_rate: expected {modalities: [...], rates: [...]} (non-empty "
                       "lists; a modality name or 'any'), found " + flow(missing));
    for (const auto& entry : missing)
      if (entry.first.as<std::string>() != "modalities" && entry.first.as<std::string>() != "rates")
        throw InputError(where + ": evaluate.missing_rate: unknown key '" + entry.first.as<std::string>() +
                         "' (keys: modalities, rates)");
    std::vector<double> rates;
    for (const auto& r : missing["rates"]) {
      double rate = 0;
      if (!YAML::convert<double>::decode(r, rate) || !(rate > 0 && rate < 1))
        throw InputError(where + ": evaluate.missing_rate.rates: expected numbers in (0, 1), found " + flow(r) +
                         " (a modality missing for every utterance is evaluate.mask)");
      if (std::find(rates.begin(), rates.end(), rate) != rates.end())
        throw InputError(where + ": evaluate.missing_rate.rates: " + format_number(rate) + " is listed twice");
      rates.push_back(rate);
    }
    std::sort(rates.begin(), rates.end());
    for (const auto& m : missing["modalities"]) {
      const std::string modality = string_value(m, "evaluate.missing_rate.modalities", where, "modality names or 'any'");
      for (const double rate : rates)
        out.push_back({"missing-" + modality + "-" + format_number(rate), modality, false, 0, rate});
    }
  }
  for (size_t i = 1; i < out.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (out[i].name == out[j].name) throw InputError(where + ": evaluate: '" + out[i].name + "' is listed twice");
  return out;
}

// Everything a run needs from the cache must be there, and the data settings
// that decide how the cache is read must be the same for every condition.
void check_against_cache(const Sweep& sweep, const std::vector<SweepRun>& runs, const std::string& where) {
  const Config& first = runs.front().config;
  for (const auto& run : runs) {
    const auto& data = run.config.data;
    if (data.cache != first.data.cache || data.target != first.data.target || data.nonfinite != first.data.nonfinite)
      throw InputError(where + ": condition '" + run.condition +
                       "': data.cache, data.target and data.nonfinite must be the same in every condition "
                       "(the sweep reads the cache once)");
    if (run.config.model.task != first.model.task || data.targets != first.data.targets ||
        data.classes != first.data.classes || data.presence_threshold != first.data.presence_threshold)
      throw InputError(where + ": condition '" + run.condition +
                       "': model.task, data.targets, data.classes and data.presence_threshold must be the same in "
                       "every condition (conditions are compared on one task)");
  }
  CacheContents contents;
  try {
    contents = list_cache_contents(first.data.cache);
  } catch (const InputError& e) {
    throw InputError(where + ": data.cache: " + e.what());
  }
  for (const auto& run : runs) {
    const auto& data = run.config.data;
    const std::string what = where + ": condition '" + run.condition + "'";
    for (const auto& m : data.modalities)
      if (std::find(contents.modalities.begin(), contents.modalities.end(), m) == contents.modalities.end())
        throw InputError(what + ": modality '" + m + "' is not in " + data.cache + " (has: " +
                         join(contents.modalities, ", ") + ")" + did_you_mean(m, contents.modalities));
  }
  for (const auto& label : task_label_columns(first))
    if (std::find(contents.labels.begin(), contents.labels.end(), label) == contents.labels.end())
      throw InputError(where + ": label '" + label + "' (" +
                       (is_multilabel_task(first.model.task) ? "data.targets" : "data.target") + ") is not in " +
                       first.data.cache + did_you_mean(label, contents.labels));
  for (const auto& column : sweep.analysis.columns)
    if (std::find(contents.labels.begin(), contents.labels.end(), column) == contents.labels.end() &&
        std::find(contents.meta.begin(), contents.meta.end(), column) == contents.meta.end()) {
      std::vector<std::string> names = contents.labels, all = contents.labels;
      for (const auto& m : contents.meta) names.push_back("meta/" + m), all.push_back(m);
      throw InputError(where + ": analysis.slices.column: '" + column + "' is neither a label nor a meta column of " +
                       first.data.cache + did_you_mean(column, all) + " (has: " + join(names, ", ") + ")");
    }
  for (const auto& e : sweep.evaluations)
    if (!e.modality.empty() && !(e.missing_rate > 0 && e.modality == "any") &&
        std::find(contents.modalities.begin(), contents.modalities.end(), e.modality) == contents.modalities.end())
      throw InputError(where + ": evaluate: modality '" + e.modality + "' is not in " + first.data.cache +
                       did_you_mean(e.modality, contents.modalities));
}

// Cross-validation: every condition is tested on the same folds, made once from the cache.
void resolve_folds(Sweep& sweep, const std::vector<SweepRun>& runs, const std::string& where) {
  const CvConfig& cv = runs.front().config.cv;
  for (const auto& run : runs) {
    const CvConfig& other = run.config.cv;
    if (other.by != cv.by || other.folds != cv.folds || other.stratify != cv.stratify || other.seed != cv.seed ||
        other.pool != cv.pool || other.valid_by != cv.valid_by || other.valid_fraction != cv.valid_fraction)
      throw InputError(where + ": condition '" + run.condition +
                       "': the cv section must be the same in every condition (conditions are compared fold by "
                       "fold); set it in the base config");
  }
  if (!cv.enabled()) return;
  try {
    sweep.cv = make_cv_folds(runs.front().config);
  } catch (const InputError& e) {
    throw InputError(where + ": cv: " + e.what());
  }
}

}  // namespace

Config Sweep::condition_config(const SweepCondition& condition, int64_t seed, const std::string& dir) const {
  std::vector<std::string> overrides = common;
  overrides.insert(overrides.end(), condition.overrides.begin(), condition.overrides.end());
  overrides.push_back("train.seed=" + std::to_string(seed));
  overrides.push_back("output.dir=" + dir);
  try {
    return load_config_text(base_text, base_origin, overrides);
  } catch (const InputError& e) {
    throw InputError(source + ": condition '" + condition.name + "': " + e.what());
  }
}

int64_t array_stages(const Sweep& sweep) {
  if (!sweep.has_search) return 1;
  if (sweep.search.halving_min_epochs == 0) return 2;
  const Config first = sweep.condition_config(sweep.search.trial_conditions.front(), sweep.seeds.front(), sweep.output);
  return static_cast<int64_t>(
             halving_rungs(sweep.search.halving_min_epochs, sweep.search.halving_eta, first.train.max_epochs).size()) +
         1;
}

std::string best_condition_name(int64_t rank) { return "best-" + std::to_string(rank); }

std::vector<std::string> Sweep::run_dirs(const std::string& condition_dir) const {
  std::vector<std::string> out;
  for (int64_t fold = cv.count() == 0 ? 0 : 1; fold <= cv.count(); ++fold)
    for (int64_t seed : seeds)
      out.push_back(condition_dir + (fold > 0 ? "/fold-" + std::to_string(fold) : "") + "/seed-" + std::to_string(seed));
  return out;
}

namespace {

// Every run of `conditions` under `root` (run_dirs order). A fold's run is an ordinary run
// on the fold's split file, without a cv section of its own.
std::vector<SweepRun> runs_under(const Sweep& sweep, const std::vector<SweepCondition>& conditions,
                                 const std::string& root) {
  Config defaults;
  {
    OptionSet options;
    declare_options(options, defaults);
  }
  const std::string folds_dir = std::filesystem::absolute(sweep.output).lexically_normal().string();
  std::vector<SweepRun> out;
  for (const auto& condition : conditions) {
    const auto dirs = sweep.run_dirs(root + "/" + condition.name);
    size_t i = 0;
    for (int64_t fold = sweep.cv.count() == 0 ? 0 : 1; fold <= sweep.cv.count(); ++fold)
      for (int64_t seed : sweep.seeds) {
        const std::string& dir = dirs[i++];
        Config config = sweep.condition_config(condition, seed, dir);
        if (fold > 0) {
          config.cv = defaults.cv;
          config.data.split_file = fold_split_file(folds_dir, fold);
        }
        out.push_back({condition.name, seed, dir, config, fold});
      }
  }
  return out;
}

}  // namespace

std::vector<SweepRun> Sweep::trial_runs() const { return runs_under(*this, search.trial_conditions, output + "/trials"); }

std::vector<SweepRun> Sweep::runs() const { return runs_under(*this, conditions, output); }

namespace {

// The sweep keys a command line may set (search.trials=8, seeds=[1,2], compare.bootstrap=0,
// evaluate=[...], output=DIR); the structure (base, conditions, grid, set) stays the file's.
// "output" and "seeds" alone: output.dir, output.log_level, ... are config keys of every run.
bool is_sweep_override(const std::string& key) {
  const std::string top = key.substr(0, key.find('.'));
  if (key == "seeds" || key == "output") return true;
  return top == "search" || top == "compare" || top == "evaluate" || top == "analysis";
}

// Applies the overrides of sweep keys to `root` and returns the others (config keys for
// every run). A value is read as YAML, as in the file; search.space.<config key> takes the
// rest of the key whole ("search.space.train.lr={log_uniform: [1e-4, 1e-2]}").
std::vector<std::string> apply_sweep_overrides(YAML::Node& root, const std::vector<std::string>& overrides) {
  std::vector<std::string> config_overrides;
  for (const auto& o : overrides) {
    const size_t eq = o.find('=');
    const std::string key = o.substr(0, eq);
    if (eq == std::string::npos || !is_sweep_override(key)) {
      config_overrides.push_back(o);
      continue;
    }
    std::vector<std::string> path = split(key, '.');
    if (path.size() > 3 && path[0] == "search" && path[1] == "space")
      path = {"search", "space", key.substr(std::string("search.space.").size())};
    YAML::Node value;
    try {
      value = YAML::Load(o.substr(eq + 1));
    } catch (const YAML::Exception& e) {
      throw InputError("command line: " + key + ": not a valid YAML value: " + e.msg);
    }
    YAML::Node node(root);
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      if (node[path[i]] && !node[path[i]].IsMap())
        throw InputError("command line: " + key + ": '" + path[i] + "' is not a mapping in the sweep");
      YAML::Node child = node[path[i]];
      node.reset(child);
    }
    node[path.back()] = value;
  }
  return config_overrides;
}

}  // namespace

Sweep load_sweep(const std::string& path, const std::vector<std::string>& command_line) {
  YAML::Node root = parse_yaml(read_file(path), path);
  if (!root.IsMap()) throw InputError(path + ": expected a sweep mapping (base, grid/conditions, seeds, ...)");
  const std::vector<std::string> overrides = apply_sweep_overrides(root, command_line);
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (std::find(kSweepKeys.begin(), kSweepKeys.end(), key) == kSweepKeys.end())
      throw InputError(path + ":" + std::to_string(entry.first.Mark().line + 1) + ": unknown sweep key '" + key +
                       "'" + did_you_mean(key, kSweepKeys) + " (keys: " + join(kSweepKeys, ", ") + ")");
  }
  Sweep sweep;
  sweep.source = path;
  try {
    if (root["base"] && root["base_config"]) throw InputError(path + ": give either 'base' or 'base_config', not both");
    if (root["base"]) {
      const fs::path base = fs::path(path).parent_path() /
          string_value(root["base"], "base", path, "the path of a config file, relative to the sweep (a config written "
                                                   "inline goes under 'base_config')");
      sweep.base_origin = base.lexically_normal().string();
      sweep.base_text = read_file(sweep.base_origin);
    } else if (root["base_config"]) {
      sweep.base_origin = path + " (base_config)";
      sweep.base_text = YAML::Dump(root["base_config"]);
    }
    if (root["set"]) sweep.common = assignments(root["set"], path + ": set");
    sweep.common.insert(sweep.common.end(), overrides.begin(), overrides.end());
    sweep.conditions = parse_conditions(root, path);
    if (root["search"] && !root["seeds"]) {
      sweep.seeds = {load_config_text(sweep.base_text, sweep.base_origin, sweep.common).train.seed};
    } else {
      if (!root["seeds"] || !root["seeds"].IsSequence() || root["seeds"].size() == 0)
        throw InputError(path + ": 'seeds' must be a non-empty list of integers");
      for (const auto& s : root["seeds"]) {
        int64_t seed = -1;
        if (!YAML::convert<int64_t>::decode(s, seed) || seed < 0)
          throw InputError(path + ": seeds: expected integers >= 0, found " + flow(s));
        if (std::find(sweep.seeds.begin(), sweep.seeds.end(), seed) != sweep.seeds.end())
          throw InputError(path + ": seeds: " + std::to_string(seed) + " is listed twice");
        sweep.seeds.push_back(seed);
      }
    }
    if (root["search"]) {
      Config base;
      try {
        base = load_config_text(sweep.base_text, sweep.base_origin, sweep.common);
      } catch (const InputError& e) {
        throw InputError(path + ": base config: " + e.what());
      }
      sweep.search = parse_search(root["search"], path, base, sweep.seeds);
      sweep.has_search = true;
    }
    sweep.evaluations = parse_evaluations(root["evaluate"], path);
    sweep.output = root["output"] ? string_value(root["output"], "output", path, "a folder name") : "runs/ablate";
    const auto compare = root["compare"];
    std::vector<std::string> condition_names;
    for (const auto& c : sweep.conditions) condition_names.push_back(c.name);
    if (sweep.has_search)
      for (int64_t k = 1; k <= sweep.search.top; ++k) condition_names.push_back(best_condition_name(k));
    auto has_condition = [&](const std::string& name) {
      return std::find(condition_names.begin(), condition_names.end(), name) != condition_names.end();
    };
    sweep.reference = compare && compare["reference"] ? string_value(compare["reference"], "compare.reference", path)
                                                      : (sweep.has_search ? best_condition_name(1) : "dynamic");
    sweep.baseline = compare && compare["baseline"] ? string_value(compare["baseline"], "compare.baseline", path) : "static";
    if (compare && compare["bootstrap"] &&
        (!YAML::convert<int64_t>::decode(compare["bootstrap"], sweep.bootstrap) || sweep.bootstrap < 0))
      throw InputError(path + ": compare.bootstrap: expected an integer >= 0, found " + flow(compare["bootstrap"]));
    for (const auto* name : {&sweep.reference, &sweep.baseline})
      if (!has_condition(*name)) {
        if (compare && (compare["reference"] || compare["baseline"]))
          throw InputError(path + ": compare: no condition named '" + *name + "'" +
                           did_you_mean(*name, condition_names));
        sweep.reference.clear();  // the defaults do not apply to this sweep
        sweep.baseline.clear();
      }
    if (root["analysis"]) {
      if (sweep.reference.empty())
        throw InputError(path + ": analysis: needs the paired comparison's conditions (compare: {reference: ..., "
                                "baseline: ...}), and this sweep has none");
      std::vector<AnalysisCondition> conditions;
      for (const auto& c : sweep.conditions) {
        const Config config = sweep.condition_config(c, sweep.seeds.front(), sweep.output);
        conditions.push_back({c.name, config.model.fusion, config.data.modalities});
      }
      // Every condition has the base config's task (checked with the cache below).
      const std::string task = load_config_text(sweep.base_text, sweep.base_origin, sweep.common).model.task;
      sweep.analysis = parse_analysis(YAML::Dump(root["analysis"]), path, task, conditions);
      sweep.analysis_yaml = YAML::Dump(root["analysis"]);
    }
  } catch (const YAML::Exception& e) {
    throw InputError(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  auto runs = sweep.runs();
  if (sweep.has_search) {
    const auto trials = sweep.trial_runs();  // every trial's config resolves before anything runs
    runs.insert(runs.end(), trials.begin(), trials.end());
  }
  check_against_cache(sweep, runs, path);
  resolve_folds(sweep, runs, path);
  return sweep;
}

Sweep cross_validation_sweep(const std::string& config_file, const std::vector<std::string>& overrides) {
  const Config config = load_config(config_file, overrides);
  Sweep sweep;
  sweep.source = config_file.empty() ? "command line" : config_file;
  sweep.base_origin = sweep.source;
  sweep.base_text = config_file.empty() ? "" : read_file(config_file);
  sweep.common = overrides;
  sweep.conditions = {{config.data.modalities.size() == 1 ? config.data.modalities.front() : config.model.fusion, {}}};
  sweep.seeds = {config.train.seed};
  sweep.evaluations = {EvalCondition{"clean", "", false, 0}};
  sweep.output = config.output.dir;
  const auto runs = sweep.runs();
  check_against_cache(sweep, runs, sweep.source);
  resolve_folds(sweep, runs, sweep.source);
  return sweep;
}

bool in_shard(size_t run_index, int64_t shard, int64_t shard_count) {
  return static_cast<int64_t>(run_index % static_cast<size_t>(shard_count)) == shard - 1;
}

bool evaluation_applies(const EvalCondition& evaluation, const std::vector<std::string>& modalities) {
  if (evaluation.modality.empty()) return true;
  // Missing rates leave every utterance one modality: nothing to take from a unimodal run.
  if (evaluation.missing_rate > 0 && evaluation.modality == "any") return modalities.size() >= 2;
  if (std::find(modalities.begin(), modalities.end(), evaluation.modality) == modalities.end()) return false;
  return !((evaluation.mask || evaluation.missing_rate > 0) && modalities.size() == 1);
}

}  // namespace daf
