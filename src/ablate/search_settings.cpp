#include "search_settings.h"

#include <algorithm>
#include <cmath>

#include "daf/config/yaml_text.h"
#include "daf/search/sampler.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

const std::vector<std::string> kSearchKeys = {"space", "trials", "sampler", "seed", "metric", "halving", "final"};
const std::vector<std::string> kKinds = {"uniform", "log_uniform", "int_uniform", "choice"};

std::string flow_text(const YAML::Node& node) { return flow_yaml(node); }

std::string at(const YAML::Node& node, const std::string& where) {
  return where + ":" + std::to_string(node.Mark().line + 1);
}

int64_t integer(const YAML::Node& node, const std::string& where, const std::string& key, int64_t minimum) {
  int64_t value = 0;
  if (!node.IsScalar() || !YAML::convert<int64_t>::decode(node, value) || value < minimum)
    throw InputError(at(node, where) + ": search." + key + ": expected an integer >= " + std::to_string(minimum) +
                     ", found " + flow_text(node));
  return value;
}

SearchDimension parse_dimension(const std::string& key, const YAML::Node& spec, const std::string& where) {
  const std::string what = at(spec, where) + ": search.space." + key;
  if (!spec.IsMap() || spec.size() != 1)
    throw InputError(what + ": expected one of {uniform: [low, high]}, {log_uniform: [low, high]}, "
                     "{int_uniform: [low, high]}, {choice: [values]}, found " + flow_text(spec));
  const std::string kind = spec.begin()->first.as<std::string>();
  const YAML::Node values = spec.begin()->second;
  SearchDimension dimension;
  dimension.key = key;
  if (kind == "choice") {
    if (!values.IsSequence() || values.size() == 0)
      throw InputError(what + ": choice: expected a non-empty list of values, found " + flow_text(values));
    dimension.kind = SearchDimension::Kind::kChoice;
    for (const auto& value : values) dimension.choices.push_back(flow_text(value));
    return dimension;
  }
  if (std::find(kKinds.begin(), kKinds.end(), kind) == kKinds.end())
    throw InputError(what + ": unknown distribution '" + kind + "'" + did_you_mean(kind, kKinds) +
                     " (one of: " + join(kKinds, ", ") + ")");
  if (!values.IsSequence() || values.size() != 2 || !YAML::convert<double>::decode(values[0], dimension.low) ||
      !YAML::convert<double>::decode(values[1], dimension.high) || !std::isfinite(dimension.low) ||
      !std::isfinite(dimension.high))
    throw InputError(what + ": " + kind + ": expected [low, high] (two numbers), found " + flow_text(values));
  if (!(dimension.low < dimension.high) && !(kind == "int_uniform" && dimension.low == dimension.high))
    throw InputError(what + ": " + kind + ": low must be below high, found " + flow_text(values));
  if (kind == "uniform") dimension.kind = SearchDimension::Kind::kUniform;
  if (kind == "log_uniform") {
    if (dimension.low <= 0)
      throw InputError(what + ": log_uniform: low must be > 0, found " + flow_text(values) +
                       " (a range that includes 0 is uniform)");
    dimension.kind = SearchDimension::Kind::kLogUniform;
  }
  if (kind == "int_uniform") {
    if (dimension.low != std::floor(dimension.low) || dimension.high != std::floor(dimension.high))
      throw InputError(what + ": int_uniform: expected integers, found " + flow_text(values));
    dimension.kind = SearchDimension::Kind::kIntUniform;
  }
  return dimension;
}

// Keys a search may not vary: what names and places runs, and what the sweep
// reads once for every run.
void check_searchable(const std::string& key, const YAML::Node& node, const std::string& where) {
  const bool fixed = key.rfind("output.", 0) == 0 || key == "train.seed" || key == "train.threads" ||
                     key == "data.cache" || key == "data.target" || key == "data.nonfinite";
  if (fixed)
    throw InputError(at(node, where) + ": search.space: '" + key + "' cannot be searched" +
                     (key == "train.seed" ? " (the trials' seeds are the sweep's 'seeds', the final ones search.final.seeds)"
                                          : " (it is the same for every run of a sweep)"));
  if (key.find('.') == std::string::npos)
    throw InputError(at(node, where) + ": search.space: '" + key + "': expected section.key (e.g. train.lr)");
}

std::vector<int64_t> seed_list(const YAML::Node& node, const std::string& where) {
  if (!node.IsSequence() || node.size() == 0)
    throw InputError(at(node, where) + ": search.final.seeds: expected a non-empty list of integers, found " +
                     flow_text(node));
  std::vector<int64_t> seeds;
  for (const auto& s : node) {
    const int64_t seed = integer(s, where, "final.seeds", 0);
    if (std::find(seeds.begin(), seeds.end(), seed) != seeds.end())
      throw InputError(at(s, where) + ": search.final.seeds: " + std::to_string(seed) + " is listed twice");
    seeds.push_back(seed);
  }
  return seeds;
}

}  // namespace

SearchSettings parse_search(const YAML::Node& node, const std::string& where, const Config& base,
                            const std::vector<int64_t>& seeds) {
  if (!node.IsMap()) throw InputError(at(node, where) + ": 'search': expected a mapping (space, trials, ...)");
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (std::find(kSearchKeys.begin(), kSearchKeys.end(), key) == kSearchKeys.end())
      throw InputError(at(entry.first, where) + ": search: unknown key '" + key + "'" + did_you_mean(key, kSearchKeys) +
                       " (keys: " + join(kSearchKeys, ", ") + ")");
  }
  SearchSettings search;
  const YAML::Node space = node["space"];
  if (!space || !space.IsMap() || space.size() == 0)
    throw InputError(at(node, where) + ": search.space: expected a mapping of section.key to a distribution");
  for (const auto& entry : space) {
    const std::string key = entry.first.as<std::string>();
    check_searchable(key, entry.first, where);
    search.space.push_back(parse_dimension(key, entry.second, where));
  }
  if (!node["trials"]) throw InputError(at(node, where) + ": search.trials: how many trials to draw is required");
  search.trials = integer(node["trials"], where, "trials", 1);
  if (search.trials > 10000)
    throw InputError(at(node["trials"], where) + ": search.trials: at most 10000, found " +
                     std::to_string(search.trials));
  if (node["sampler"]) {
    search.sampler = node["sampler"].IsScalar() ? node["sampler"].Scalar() : flow_text(node["sampler"]);
    if (search.sampler != "random" && search.sampler != "sobol")
      throw InputError(at(node["sampler"], where) + ": search.sampler: expected random or sobol, found " +
                       search.sampler + did_you_mean(search.sampler, {"random", "sobol"}));
  }
  if (search.sampler == "sobol" && search.space.size() > kSobolMaxDimensions)
    throw InputError(at(space, where) + ": search.space: the sobol sampler has direction numbers for " +
                     std::to_string(kSobolMaxDimensions) + " keys, the space has " +
                     std::to_string(search.space.size()) + " (use sampler: random)");
  if (node["seed"]) search.seed = static_cast<uint64_t>(integer(node["seed"], where, "seed", 0));
  const auto metrics = early_stop_metrics(base.model.task);
  search.metric = base.train.early_stop_metric;
  if (node["metric"]) {
    search.metric = node["metric"].IsScalar() ? node["metric"].Scalar() : flow_text(node["metric"]);
    if (std::find(metrics.begin(), metrics.end(), search.metric) == metrics.end())
      throw InputError(at(node["metric"], where) + ": search.metric: '" + search.metric + "' is not a validation "
                       "metric of task " + base.model.task + did_you_mean(search.metric, metrics) + " (one of: " +
                       join(metrics, ", ") + ")");
  }
  search.final_seeds = seeds;
  if (const YAML::Node final = node["final"]) {
    if (!final.IsMap()) throw InputError(at(final, where) + ": search.final: expected {top: K, seeds: [...]}");
    for (const auto& entry : final) {
      const std::string key = entry.first.as<std::string>();
      if (key != "top" && key != "seeds")
        throw InputError(at(entry.first, where) + ": search.final: unknown key '" + key + "' (keys: top, seeds)");
    }
    if (final["top"]) search.top = integer(final["top"], where, "final.top", 1);
    if (final["seeds"]) search.final_seeds = seed_list(final["seeds"], where);
  }
  if (search.top > search.trials)  // only when final.top is given: its default is 1
    throw InputError(at(node["final"]["top"], where) + ": search.final.top: " + std::to_string(search.top) + " is more than the " +
                     std::to_string(search.trials) + " trials");

  if (const YAML::Node halving = node["halving"]) {
    if (!halving.IsMap() || !halving["min_epochs"])
      throw InputError(at(halving, where) + ": search.halving: expected {min_epochs: N, eta: 3}, found " +
                       flow_text(halving));
    for (const auto& entry : halving) {
      const std::string key = entry.first.as<std::string>();
      if (key != "min_epochs" && key != "eta")
        throw InputError(at(entry.first, where) + ": search.halving: unknown key '" + key + "' (keys: min_epochs, eta)");
    }
    search.halving_min_epochs = integer(halving["min_epochs"], where, "halving.min_epochs", 1);
    if (halving["eta"]) search.halving_eta = integer(halving["eta"], where, "halving.eta", 2);
    if (std::any_of(search.space.begin(), search.space.end(),
                    [](const SearchDimension& d) { return d.key == "train.max_epochs"; }))
      throw InputError(at(halving, where) + ": search.halving: train.max_epochs cannot be searched with halving "
                       "(every trial's rungs are the same epochs)");
    if (search.halving_min_epochs >= base.train.max_epochs)
      throw InputError(at(halving["min_epochs"], where) + ": search.halving.min_epochs: " +
                       std::to_string(search.halving_min_epochs) + " must be below train.max_epochs (" +
                       std::to_string(base.train.max_epochs) + ")");
  }
  const auto points = sample_unit_cube(search.sampler, search.trials, search.space.size(), search.seed);
  const size_t width = std::max<size_t>(3, std::to_string(search.trials).size());
  for (int64_t t = 0; t < search.trials; ++t) {
    std::string number = std::to_string(t + 1);
    SweepCondition trial{"trial-" + std::string(width - number.size(), '0') + number, {}};
    for (size_t d = 0; d < search.space.size(); ++d)
      trial.overrides.push_back(search.space[d].key + "=" +
                                dimension_value(search.space[d], points[static_cast<size_t>(t)][d]));
    search.trial_conditions.push_back(trial);
  }
  return search;
}

}  // namespace daf
