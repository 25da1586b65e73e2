// The sweep's slice analysis in the collect step: analysis.csv,
// top_utterances.csv, plots/analysis-*.png and its summary.md section.
#include <filesystem>

#include "daf/analysis/analysis_settings.h"
#include "collected_runs.h"
#include "daf/analysis/slice_analysis.h"
#include "daf/config/config.h"
#include "daf/data/cache_io.h"
#include "daf/report/plots.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"

namespace daf {
namespace fs = std::filesystem;

SweepPredictions read_sweep_predictions(const Plan& plan, const std::string& dir, bool require_cache) {
  SweepPredictions out;
  SliceData& data = out.data;
  data.task = plan.task;
  for (const auto& run : plan.runs) {
    if (!fs::exists(dir + "/" + run.dir + "/ablation.csv")) continue;  // unfinished (--allow-partial)
    data.conditions[run.condition][run.seed] =
        read_predictions(dir + "/" + run.dir + "/eval/test/predictions.csv", plan.task);
  }
  const std::string first = data.conditions.count(plan.reference) ? plan.reference
                            : data.conditions.empty()               ? ""
                                                                    : data.conditions.begin()->first;
  if (first.empty()) return out;
  data.ids = data.conditions.at(first).begin()->second.ids;
  if (!fs::exists(plan.cache)) {
    if (require_cache)
      throw InputError(plan.cache + ": the sweep's cache, whose test split the analysis reads (labels, present "
                                    "masks): file not found");
    out.cache_missing = true;
  } else {
    // Cross-validated: the predictions are those of every fold, from all pooled splits.
    read_slice_columns(plan.cache, plan.folds > 0 ? plan.pool : std::vector<std::string>{"test"},
                       plan.conditions.front().modalities.front(), data, &out.transcripts);
  }
  // Named by the runs' data.classes or data.targets (every condition has the same, checked at plan time).
  for (const auto& run : plan.runs)
    if (fs::exists(dir + "/" + run.dir + "/config.yaml")) {
      const Config config = load_config(dir + "/" + run.dir + "/config.yaml", {});
      data.class_names = config.data.classes;
      out.names = plan.task == "multilabel" ? config.data.targets : config.data.classes;
      break;
    }
  return out;
}

std::vector<Slice> sweep_slices(const Plan& plan, const std::string& dir, const SliceData& data) {
  if (plan.analysis.empty() || plan.reference.empty() || !data.conditions.count(plan.reference)) return {};
  std::vector<AnalysisCondition> conditions;
  for (const auto& c : plan.conditions) conditions.push_back({c.name, c.fusion, c.modalities});
  return make_slices(parse_analysis(plan.analysis, dir + "/plan.yaml", plan.task, conditions), data);
}

std::string analysis_section(const Plan& plan, const std::string& dir, bool plots) {
  if (plan.analysis.empty() || plan.reference.empty()) return "";
  std::vector<AnalysisCondition> conditions;
  std::vector<std::string> names;
  for (const auto& c : plan.conditions) conditions.push_back({c.name, c.fusion, c.modalities}), names.push_back(c.name);
  const SliceSettings settings = parse_analysis(plan.analysis, dir + "/plan.yaml", plan.task, conditions);

  const SweepPredictions predictions = read_sweep_predictions(plan, dir, true);
  const SliceData& data = predictions.data;
  if (!data.conditions.count(plan.reference)) return "";
  const std::vector<std::string>& transcripts = predictions.transcripts;

  SliceAnalysis analysis = analyse_slices(settings, data, names, plan.reference, plan.baseline, plan.bootstrap);
  if (plan.folds > 0) analysis.scope = "the " + std::to_string(plan.folds) + " test folds pooled";
  write_file_atomic(dir + "/analysis.csv", analysis_csv(analysis));
  if (settings.top > 0)
    write_file_atomic(dir + "/top_utterances.csv",
                      top_utterances_csv(data, names, plan.reference, plan.baseline, settings.top, transcripts));
  const bool plotted = plots && gnuplot_available();
  if (plotted) {
    fs::create_directories(dir + "/plots");
    plot_slice_analysis(analysis, dir + "/plots");
  }
  // Also on its own (analysis.md), beside the summary.md that includes it.
  const std::string markdown = analysis_markdown(analysis, plotted ? "plots" : "");
  write_file_atomic(dir + "/analysis.md", markdown);
  return markdown;
}

}  // namespace daf
