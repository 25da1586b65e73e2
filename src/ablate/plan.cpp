#include "daf/ablate/plan.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "daf/ablate/sweep.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"

namespace daf {

Plan make_plan(const Sweep& sweep) {
  Plan plan;
  const auto runs = sweep.runs();
  plan.task = runs.front().config.model.task;
  for (const auto& condition : sweep.conditions) {
    const Config c = sweep.condition_config(condition, sweep.seeds.front(), sweep.output);
    PlanCondition planned{condition.name, c.model.fusion, c.data.modalities, {}};
    for (const auto& e : sweep.evaluations)
      if (evaluation_applies(e, c.data.modalities)) planned.evaluations.push_back(e.name);
    plan.conditions.push_back(planned);
  }
  plan.seeds = sweep.seeds;
  for (const auto& e : sweep.evaluations) plan.evaluations.push_back(e.name);
  plan.reference = sweep.reference;
  plan.baseline = sweep.baseline;
  plan.bootstrap = sweep.bootstrap;
  plan.analysis = sweep.analysis_yaml;
  plan.cache = std::filesystem::absolute(runs.front().config.data.cache).lexically_normal().string();
  plan.folds = sweep.cv.count();
  plan.pool = sweep.cv.pool;
  for (const auto& run : runs)
    plan.runs.push_back({run.condition, run.seed, run.dir.substr(sweep.output.size() + 1), run.fold});
  return plan;
}

std::string pooled_run_dir(const std::string& condition, int64_t seed) {
  return condition + "/pooled/seed-" + std::to_string(seed);
}

std::vector<PlanRun> pooled_runs(const Plan& plan) {
  std::vector<PlanRun> out;
  for (const auto& condition : plan.conditions)
    for (int64_t seed : plan.seeds) out.push_back({condition.name, seed, pooled_run_dir(condition.name, seed), 0});
  return out;
}

void write_plan(const std::string& path, const Plan& plan) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "task" << YAML::Value << plan.task;
  out << YAML::Key << "conditions" << YAML::Value << YAML::BeginSeq;
  for (const auto& c : plan.conditions)
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << c.name << YAML::Key << "fusion"
        << YAML::Value << c.fusion << YAML::Key << "modalities" << YAML::Value << YAML::Flow << c.modalities
        << YAML::Key << "evaluations" << YAML::Value << YAML::Flow << c.evaluations << YAML::EndMap;
  out << YAML::EndSeq;
  out << YAML::Key << "seeds" << YAML::Value << YAML::Flow << plan.seeds;
  out << YAML::Key << "evaluations" << YAML::Value << YAML::Flow << plan.evaluations;
  out << YAML::Key << "reference" << YAML::Value << plan.reference;
  out << YAML::Key << "baseline" << YAML::Value << plan.baseline;
  out << YAML::Key << "bootstrap" << YAML::Value << plan.bootstrap;
  if (!plan.analysis.empty()) out << YAML::Key << "analysis" << YAML::Value << YAML::Load(plan.analysis);
  out << YAML::Key << "cache" << YAML::Value << plan.cache;
  if (plan.folds > 0) {
    out << YAML::Key << "folds" << YAML::Value << plan.folds;
    out << YAML::Key << "pool" << YAML::Value << YAML::Flow << plan.pool;
  }
  out << YAML::Key << "runs" << YAML::Value << YAML::BeginSeq;
  for (const auto& r : plan.runs) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "condition" << YAML::Value << r.condition << YAML::Key
        << "seed" << YAML::Value << r.seed;
    if (r.fold > 0) out << YAML::Key << "fold" << YAML::Value << r.fold;
    out << YAML::Key << "dir" << YAML::Value << r.dir << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  write_file_atomic(path, std::string(out.c_str()) + "\n");
}

Plan read_plan(const std::string& path) {
  try {
    const YAML::Node root = YAML::Load(read_file(path));
    Plan plan;
    plan.task = root["task"].as<std::string>();
    for (const auto& c : root["conditions"])
      plan.conditions.push_back(
          {c["name"].as<std::string>(), c["fusion"].as<std::string>(), c["modalities"].as<std::vector<std::string>>(),
           c["evaluations"] ? c["evaluations"].as<std::vector<std::string>>() : std::vector<std::string>{}});
    plan.seeds = root["seeds"].as<std::vector<int64_t>>();
    plan.evaluations = root["evaluations"].as<std::vector<std::string>>();
    plan.reference = root["reference"] ? root["reference"].as<std::string>() : "";
    plan.baseline = root["baseline"] ? root["baseline"].as<std::string>() : "";
    plan.bootstrap = root["bootstrap"].as<int64_t>();
    if (root["analysis"]) plan.analysis = YAML::Dump(root["analysis"]);
    if (root["cache"]) plan.cache = root["cache"].as<std::string>();
    if (root["folds"]) plan.folds = root["folds"].as<int64_t>();
    if (root["pool"]) plan.pool = root["pool"].as<std::vector<std::string>>();
    for (const auto& r : root["runs"])
      plan.runs.push_back({r["condition"].as<std::string>(), r["seed"].as<int64_t>(), r["dir"].as<std::string>(),
                           r["fold"] ? r["fold"].as<int64_t>() : 0});
    return plan;
  } catch (const YAML::Exception& e) {
    throw InputError(path + ": not a daf-ablate plan (" + e.msg + ")");
  }
}

}  // namespace daf
