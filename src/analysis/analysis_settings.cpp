#include "daf/analysis/analysis_settings.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "daf/config/yaml_text.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

struct Reader {
  std::string where;

  [[noreturn]] void fail(const std::string& key, const std::string& expected, const YAML::Node& found) const {
    throw InputError(where + ": analysis." + key + ": expected " + expected + ", found " + flow_yaml(found));
  }
  void keys(const YAML::Node& map, const std::string& key, const std::vector<std::string>& allowed) const {
    if (!map.IsMap()) fail(key, "a mapping", map);
    for (const auto& entry : map) {
      const std::string name = entry.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
        throw InputError(where + ": analysis" + (key.empty() ? "" : "." + key) + ": unknown key '" + name + "'" +
                         did_you_mean(name, allowed) + " (keys: " + join(allowed, ", ") + ")");
    }
  }
  int64_t integer(const YAML::Node& node, const std::string& key, int64_t at_least) const {
    int64_t value = 0;
    if (!node.IsScalar() || !YAML::convert<int64_t>::decode(node, value) || value < at_least)
      fail(key, "an integer >= " + std::to_string(at_least), node);
    return value;
  }
  std::vector<std::string> names(const YAML::Node& node, const std::string& key, size_t count) const {
    std::vector<std::string> out;
    if (node.IsSequence())
      for (const auto& item : node)
        if (item.IsScalar()) out.push_back(item.Scalar());
    if (!node.IsSequence() || out.size() != node.size() || (count && out.size() != count) || out.empty())
      fail(key, count ? "a list of " + std::to_string(count) + " names" : "a list of names", node);
    return out;
  }
};

}  // namespace

SliceSettings parse_analysis(const std::string& yaml, const std::string& where, const std::string& task,
                             const std::vector<AnalysisCondition>& conditions, bool one_model) {
  const Reader r{where};
  YAML::Node node;
  try {
    node = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    throw InputError(where + ": analysis: " + e.msg);
  }
  SliceSettings s;
  r.keys(node, "", {"slices", "cross", "top", "permutations", "min_size"});
  if (!node["slices"]) throw InputError(where + ": analysis: 'slices' is missing (which slices to analyse)");
  const YAML::Node slices = node["slices"];
  r.keys(slices, "slices", {"conflict", "intensity", "gate_entropy", "degraded", "column"});
  auto condition = [&](const std::string& name, const std::string& key) -> const AnalysisCondition& {
    for (const auto& c : conditions)
      if (c.name == name) return c;
    std::vector<std::string> known;
    for (const auto& c : conditions) known.push_back(c.name);
    throw InputError(where + ": analysis." + key + ": no condition named '" + name + "'" + did_you_mean(name, known));
  };
  if (const auto conflict = slices["conflict"]) {
    if (one_model)
      throw InputError(where + ": analysis.slices.conflict: compares the unimodal conditions of a sweep, and daf-eval "
                               "evaluates one model (run the analysis in daf-ablate, or leave conflict out)");
    r.keys(conflict, "slices.conflict", {"between", "bins"});
    if (!conflict["between"]) throw InputError(where + ": analysis.slices.conflict: 'between' is missing");
    s.conflict = r.names(conflict["between"], "slices.conflict.between", 2);
    for (const auto& name : s.conflict)
      if (condition(name, "slices.conflict.between").modalities.size() != 1)
        throw InputError(where + ": analysis.slices.conflict.between: condition '" + name +
                         "' is not unimodal (it uses " + join(condition(name, "").modalities, ", ") + ")");
    if (conflict["bins"]) s.disagreement_bins = r.integer(conflict["bins"], "slices.conflict.bins", 0);
  }
  if (const auto intensity = slices["intensity"]) {
    s.intensity = true;
    if (task == "multilabel") throw InputError(where + ": analysis.slices.intensity: not defined for a multilabel task");
    if (task == "regression") {
      r.keys(intensity, "slices.intensity", {"bins"});
      const YAML::Node bins = intensity["bins"];
      if (!bins || !bins.IsSequence() || bins.size() < 2) r.fail("slices.intensity.bins", "a list of >= 2 edges", bins);
      for (const auto& edge : bins) {
        double value = 0;
        if (!edge.IsScalar() || !YAML::convert<double>::decode(edge, value) || !(value >= 0))
          r.fail("slices.intensity.bins", "numbers >= 0", bins);
        if (!s.intensity_bins.empty() && value <= s.intensity_bins.back())
          r.fail("slices.intensity.bins", "increasing edges", bins);
        s.intensity_bins.push_back(value);
      }
    } else if (!intensity.IsScalar() || intensity.Scalar() != "true") {
      r.fail("slices.intensity", "true (a " + task + " task: one slice per true class)", intensity);
    }
  }
  if (const auto gate = slices["gate_entropy"]) {
    r.keys(gate, "slices.gate_entropy", {"condition", "bins"});
    s.gate_condition = gate["condition"] ? gate["condition"].as<std::string>() : "dynamic";
    if (one_model) s.gate_condition = conditions.front().name;
    if (condition(s.gate_condition, "slices.gate_entropy.condition").fusion != "dynamic")
      throw InputError(where + ": analysis.slices.gate_entropy: condition '" + s.gate_condition +
                       "' has no per-utterance fusion weights (model.fusion: dynamic is needed)");
    if (gate["bins"]) s.gate_bins = r.integer(gate["bins"], "slices.gate_entropy.bins", 2);
  }
  if (const auto degraded = slices["degraded"]) {
    if (!degraded.IsScalar() || (degraded.Scalar() != "true" && degraded.Scalar() != "false"))
      r.fail("slices.degraded", "true or false", degraded);
    s.degraded = degraded.Scalar() == "true";
  }
  if (slices["column"]) s.columns = r.names(slices["column"], "slices.column", 0);
  if (node["cross"]) s.cross = r.names(node["cross"], "cross", 2);
  if (node["top"]) s.top = r.integer(node["top"], "top", 0);
  if (node["permutations"]) s.permutations = r.integer(node["permutations"], "permutations", 0);
  if (node["min_size"]) s.min_size = r.integer(node["min_size"], "min_size", 1);
  if (!s.enabled()) throw InputError(where + ": analysis.slices: no slice family is switched on");
  if (!s.cross.empty()) {
    std::vector<std::string> families;
    if (!s.conflict.empty()) families.push_back("conflict");
    if (!s.conflict.empty() && task == "regression" && s.disagreement_bins > 0) families.push_back("disagreement");
    if (s.intensity) families.push_back("intensity");
    if (!s.gate_condition.empty()) families.push_back("gate_entropy");
    if (s.degraded) families.push_back("degraded");
    families.insert(families.end(), s.columns.begin(), s.columns.end());
    for (const auto& name : s.cross)
      if (std::find(families.begin(), families.end(), name) == families.end())
        throw InputError(where + ": analysis.cross: '" + name + "' is not a slice family of this analysis (it has: " +
                         join(families, ", ") + ")" + did_you_mean(name, families));
    if (s.cross[0] == s.cross[1]) throw InputError(where + ": analysis.cross: a family crossed with itself");
  }
  return s;
}

}  // namespace daf
