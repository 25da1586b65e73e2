#include "daf/ablate/summary_html.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "collected_runs.h"
#include "daf/analysis/utterance_view.h"
#include "daf/report/html_page.h"
#include "daf/report/markdown_html.h"
#include "daf/report/utterance_explorer.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/process_info.h"
#include "daf/version.h"

namespace daf {
namespace {

// The explorer over the runs' test predictions (the pooled ones when cross-validated).
void explorer_section(HtmlPage& page, const std::string& dir) {
  const std::string plan_path = dir + "/plan.yaml";
  if (!std::filesystem::exists(plan_path)) return;
  Plan plan = read_plan(plan_path);
  if (plan.folds > 0) plan.runs = pooled_runs(plan);
  const SweepPredictions predictions = read_sweep_predictions(plan, dir, false);
  if (predictions.data.conditions.empty()) return;
  const std::vector<Slice> slices =
      predictions.cache_missing ? std::vector<Slice>{} : sweep_slices(plan, dir, predictions.data);
  UtteranceViewInput input;
  input.data = &predictions.data;
  for (const auto& c : plan.conditions) input.conditions.push_back(c.name);
  input.reference = plan.reference;
  input.baseline = plan.baseline;
  input.names = predictions.names;
  input.slices = &slices;
  input.transcripts = &predictions.transcripts;
  input.page_dir = dir;
  ExplorerData data = utterance_view(input);
  if (plan.folds > 0) data.scope = std::to_string(plan.folds) + " test folds pooled";
  data.no_script_note = "Each run's predictions are in its eval/test/predictions.csv (runs.csv lists the runs).";
  if (predictions.cache_missing)
    data.audio_note = plan.cache + " (the sweep's cache) is not there: no transcripts, slices or audio links.";
  add_utterance_explorer(page, data);
}

}  // namespace

std::string sweep_summary_html(const std::string& dir, const std::string& summary_markdown) {
  HtmlPage page("daf-ablate: " + dir);
  append_markdown(page, summary_markdown, dir);
  try {
    explorer_section(page, dir);
  } catch (const InputError& e) {
    // The summary above stands without it (e.g. conditions scored on different utterances).
    page.heading("Utterances");
    page.note(std::string("No utterance explorer: ") + e.what());
    spdlog::warn("{}/summary.html has no utterance explorer: {}", dir, e.what());
  }
  page.heading("How this was made");
  page.definitions({{"daf", std::string("daf ") + version()},
                    {"command", command_line().empty() ? "(not from a daf executable)" : command_line()},
                    {"machine", machine_description()},
                    {"files", "summary.md says the same as this page; the CSV files beside it hold every number"}});
  const std::string plan = dir + "/plan.yaml";
  if (std::filesystem::exists(plan)) page.details("The sweep's plan: every run and its config (plan.yaml)", read_file(plan));
  return page.str();
}

void write_sweep_summary_html(const std::string& dir) {
  const std::string summary = dir + "/summary.md";
  if (!std::filesystem::exists(summary))
    throw InputError(dir + ": no summary.md: not a collected daf-ablate output folder (daf-ablate --collect " + dir +
                     " writes it)");
  write_file_atomic(dir + "/summary.html", sweep_summary_html(dir, read_file(summary)));
}

}  // namespace daf
