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

namespace {

// The cache's test split in the order of the predictions' ids: label and meta columns, present masks, transcripts.
void read_test_split(const Plan& plan, SliceData& data, std::vector<std::string>& transcripts) {
  if (!fs::exists(plan.cache))
    throw InputError(plan.cache + ": the sweep's cache, whose test split the analysis reads (labels, present "
                                  "masks): file not found");
  // Cross-validated: the predictions are those of every fold, from all pooled splits.
  read_slice_columns(plan.cache, plan.folds > 0 ? plan.pool : std::vector<std::string>{"test"},
                     plan.conditions.front().modalities.front(), data, &transcripts);
}

}  // namespace

std::string analysis_section(const Plan& plan, const std::string& dir, bool plots) {
  if (plan.analysis.empty() || plan.reference.empty()) return "";
  std::vector<AnalysisCondition> conditions;
  std::vector<std::string> names;
  for (const auto& c : plan.conditions) conditions.push_back({c.name, c.fusion, c.modalities}), names.push_back(c.name);
  const SliceSettings settings = parse_analysis(plan.analysis, dir + "/plan.yaml", plan.task, conditions);

  SliceData data;
  data.task = plan.task;
  for (const auto& run : plan.runs) {
    if (!fs::exists(dir + "/" + run.dir + "/ablation.csv")) continue;  // unfinished (--allow-partial)
    data.conditions[run.condition][run.seed] =
        read_predictions(dir + "/" + run.dir + "/eval/test/predictions.csv", plan.task);
  }
  if (!data.conditions.count(plan.reference)) return "";
  data.ids = data.conditions.at(plan.reference).begin()->second.ids;
  std::vector<std::string> transcripts;
  read_test_split(plan, data, transcripts);
  // Class slices are named by the runs' data.classes (every condition has the same, checked at plan time).
  for (const auto& run : plan.runs)
    if (fs::exists(dir + "/" + run.dir + "/config.yaml")) {
      data.class_names = load_config(dir + "/" + run.dir + "/config.yaml", {}).data.classes;
      break;
    }

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
