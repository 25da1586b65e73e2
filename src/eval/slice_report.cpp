#include "slice_report.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "daf/analysis/analysis_settings.h"
#include "daf/analysis/slice_analysis.h"
#include "daf/config/config.h"
#include "daf/data/embedding_cache.h"
#include "daf/report/plots.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"

namespace daf {
namespace {

// The section's text: the file's `analysis:` mapping (a sweep file), else the whole file.
std::string analysis_text(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": eval.analysis: file not found");
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw InputError(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) throw InputError(path + ": expected a mapping with an 'analysis' section or its keys");
  return YAML::Dump(root["analysis"] ? root["analysis"] : root);
}

}  // namespace

SliceSettings eval_analysis_settings(const std::string& analysis_file, const Config& config,
                                     const std::string& condition) {
  return parse_analysis(analysis_text(analysis_file), analysis_file, config.model.task,
                        {{condition, config.model.fusion, config.data.modalities}}, true);
}

SliceData evaluated_split(const Config& config, const std::string& condition, const std::string& cache_path,
                          const std::string& split, const std::string& out_dir, std::vector<std::string>* transcripts) {
  const std::string& task = config.model.task;
  SliceData data;
  data.task = task;
  const RunPredictions run = read_predictions(out_dir + "/predictions.csv", task);
  data.ids = run.ids;
  data.conditions[condition][config.train.seed] = run;
  data.class_names = config.data.classes;
  // A cross-validation fold's run on its own cache: its parts come from every split.
  const bool fold = !config.data.split_file.empty() && cache_path == config.data.cache;
  read_slice_columns(cache_path, fold ? cache_split_names() : std::vector<std::string>{split},
                     config.data.modalities.front(), data, transcripts);
  return data;
}

std::string eval_slice_analysis(const SliceSettings& settings, const SliceData& data, const std::string& condition,
                                const std::string& out_dir) {
  const SliceAnalysis analysis = analyse_slices(settings, data, {condition}, condition, "", 0);
  write_file_atomic(out_dir + "/analysis.csv", analysis_csv(analysis));
  const bool plotted = gnuplot_available();
  if (plotted) {
    std::filesystem::create_directories(out_dir + "/plots");
    plot_slice_analysis(analysis, out_dir + "/plots");
  }
  // Also on its own (analysis.md), beside the report.md that includes it.
  const std::string markdown = analysis_markdown(analysis, plotted ? "plots" : "");
  write_file_atomic(out_dir + "/analysis.md", markdown);
  return markdown;
}

}  // namespace daf
