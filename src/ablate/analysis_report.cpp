// The sweep's slice analysis in the collect step: analysis.csv,
// top_utterances.csv, plots/analysis-*.png and its summary.md section.
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "analysis_settings.h"
#include "collected_runs.h"
#include "daf/analysis/slice_analysis.h"
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
  CacheReadOptions options;
  options.splits = {"test"};
  options.modalities = {plan.conditions.front().modalities.front()};  // features are not needed: read the fewest
  options.replace_nonfinite = true;
  const EmbeddingCache cache = read_cache(plan.cache, options);
  const SplitData& test = cache.splits.at("test");
  std::map<std::string, size_t> row;
  for (size_t i = 0; i < test.ids.size(); ++i) row[test.ids[i]] = i;
  std::vector<size_t> order;
  for (const auto& id : data.ids) {
    const auto it = row.find(id);
    if (it == row.end())
      throw InputError(plan.cache + ": test split has no utterance '" + id +
                       "', which the sweep's runs were scored on (was the cache replaced since?)");
    order.push_back(it->second);
  }
  for (const auto& [name, values] : test.labels)
    for (size_t i : order) data.columns[name].push_back(values[i]);
  for (const auto& [modality, mask] : test.present)
    for (size_t i : order) data.present[modality].push_back(mask[i]);
  for (const auto& [column, values] : test.meta)
    for (size_t i : order) data.meta[column].push_back(values[i]);
  if (!test.transcripts.empty())
    for (size_t i : order) transcripts.push_back(test.transcripts[i]);
}

}  // namespace

std::string analysis_section(const Plan& plan, const std::string& dir, bool plots) {
  if (plan.analysis.empty() || plan.reference.empty()) return "";
  std::vector<AnalysisCondition> conditions;
  std::vector<std::string> names;
  for (const auto& c : plan.conditions) conditions.push_back({c.name, c.fusion, c.modalities}), names.push_back(c.name);
  const SliceSettings settings = parse_analysis(YAML::Load(plan.analysis), dir + "/plan.yaml", plan.task, conditions);

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

  const SliceAnalysis analysis = analyse_slices(settings, data, names, plan.reference, plan.baseline, plan.bootstrap);
  write_file_atomic(dir + "/analysis.csv", analysis_csv(analysis));
  if (settings.top > 0)
    write_file_atomic(dir + "/top_utterances.csv",
                      top_utterances_csv(data, names, plan.reference, plan.baseline, settings.top, transcripts));
  const bool plotted = plots && gnuplot_available();
  if (plotted) {
    fs::create_directories(dir + "/plots");
    plot_slice_analysis(analysis, dir + "/plots");
  }
  return analysis_markdown(analysis, plotted ? "plots" : "");
}

}  // namespace daf
