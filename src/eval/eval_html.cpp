#include "eval_html.h"

#include <cmath>
#include <filesystem>

#include "daf/analysis/utterance_view.h"
#include "daf/report/html_page.h"
#include "daf/report/plots.h"
#include "daf/report/utterance_explorer.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/process_info.h"
#include "daf/util/strings.h"
#include "daf/version.h"

namespace daf {
namespace {

// Undefined metrics (NaN: e.g. a correlation of constant predictions) say so, never a number.
std::string value_text(double v) { return std::isfinite(v) ? format_fixed(v, 4) : "undefined"; }

void metrics_section(HtmlPage& page, const Scores& scores) {
  HtmlTable table;
  table.header = {"metric", "value"};
  table.numeric = {false, true};
  table.sortable = false;
  for (const auto& [name, value] : scores.metrics) table.rows.push_back({name, value_text(value)});
  page.heading("Metrics");
  page.table(table);
}

void per_output_section(HtmlPage& page, const Scores& scores, const std::vector<std::string>& names) {
  const bool labels = scores.confusion.empty();
  const std::vector<std::pair<std::string, std::string>> columns =
      labels ? std::vector<std::pair<std::string, std::string>>{{"", "_acc"}, {"", "_WA"}, {"", "_F1"}}
             : std::vector<std::pair<std::string, std::string>>{{"precision_", ""}, {"recall_", ""}, {"F1_", ""}};
  HtmlTable table;
  table.header = labels ? std::vector<std::string>{"label", "accuracy", "WA", "F1"}
                        : std::vector<std::string>{"class", "precision", "recall", "F1"};
  table.numeric = {false, true, true, true};
  table.caption = "Click a column's header to sort by it.";
  for (const auto& name : names) {
    std::vector<std::string> row = {name};
    for (const auto& [prefix, suffix] : columns) row.push_back(value_text(metric_value(scores.per_output, prefix + name + suffix)));
    table.rows.push_back(row);
  }
  page.heading(labels ? "Per label" : "Per class");
  page.table(table);
}

void confusion_section(HtmlPage& page, const Scores& scores, const std::vector<std::string>& names) {
  const auto label = [&](size_t c) { return c < names.size() ? names[c] : std::to_string(c); };
  HtmlTable table;
  table.sortable = false;
  table.caption = "Rows: the true class; columns: the predicted class; shade: the share of the row.";
  table.header = {"truth \\ predicted"};
  for (size_t c = 0; c < scores.confusion.size(); ++c) table.header.push_back(label(c));
  table.numeric.assign(table.header.size(), true);
  table.numeric[0] = false;
  for (size_t t = 0; t < scores.confusion.size(); ++t) {
    int64_t total = 0;
    for (auto count : scores.confusion[t]) total += count;
    std::vector<std::string> row = {label(t)}, shade = {""};
    std::vector<bool> marked = {false};
    for (size_t p = 0; p < scores.confusion[t].size(); ++p) {
      const int64_t count = scores.confusion[t][p];
      row.push_back(std::to_string(count));
      const double share = total > 0 ? static_cast<double>(count) / total : 0.0;
      shade.push_back(share > 0 ? "rgba(68,119,170," + format_fixed(0.08 + 0.6 * share, 2) + ")" : "");
      marked.push_back(p == t);
    }
    table.rows.push_back(row);
    table.shade.push_back(shade);
    table.marked.push_back(marked);
  }
  page.heading("Confusion matrix");
  page.table(table);
}

void gate_section(HtmlPage& page, const GateSummary& gate, const std::string& out_dir) {
  HtmlTable table;
  table.header = {gate.grouping == "label" ? "label present" : gate.grouping, "n"};
  for (const auto& m : gate.modalities) {
    table.header.push_back(m + " mean");
    table.header.push_back(m + " std");
  }
  table.numeric.assign(table.header.size(), true);
  table.numeric[0] = gate.grouping == "sentiment";  // buckets -3..3 sort as numbers
  const auto add = [&](const std::string& name, const std::vector<WeightStats>& stats) {
    std::vector<std::string> row = {name, std::to_string(stats.empty() ? 0 : stats[0].count)};
    for (const auto& s : stats) {
      row.push_back(format_fixed(s.mean, 3));
      row.push_back(format_fixed(s.std, 3));
    }
    table.rows.push_back(row);
  };
  add("all", gate.overall);
  for (size_t g = 0; g < gate.groups.size(); ++g) add(gate.groups[g], gate.per_bucket[g]);
  page.heading("Fusion weights");
  page.paragraph("The gate's weight per modality (each utterance's weights sum to 1), over all utterances and per " +
                 std::string(gate.grouping == "label" ? "label (the utterances where it is present)"
                             : gate.grouping == "class" ? "true class" : "sentiment bucket (the truth rounded)") + ".");
  page.table(table);
  if (!gnuplot_available()) {
    page.note("gnuplot is not installed: the plot of the weights is left out (install gnuplot-nox).");
    return;
  }
  std::vector<BarCluster> bars = {{"all", {}, {}}};
  for (const auto& s : gate.overall) bars[0].mean.push_back(s.mean);
  for (size_t g = 0; g < gate.groups.size(); ++g) {
    bars.push_back({gate.groups[g], {}, {}});
    for (const auto& s : gate.per_bucket[g]) bars.back().mean.push_back(s.mean);
  }
  const std::string svg = out_dir + "/gate_weights.svg";
  try {
    plot_stacked_bars(svg, "Mean fusion weight per " + gate.grouping, "weight", gate.modalities, bars);
  } catch (const RuntimeFailure& e) {
    // The numbers are in the table above; a plot gnuplot could not draw costs the page only the picture.
    page.note(std::string("The plot of the weights could not be drawn: ") + e.what());
    return;
  }
  page.svg_file(svg, "Mean fusion weights, stacked (gate_weights.svg; its data and gnuplot script lie beside it).");
}

}  // namespace

std::string eval_report_html(const EvalReportData& data) {
  const EvalRequest& request = *data.request;
  HtmlPage page("daf-eval: " + request.model_dir);
  if (!data.progress.finished) page.note("Unfinished run: " + unfinished_run_note(request.model_dir, data.progress) + ".");
  page.definitions({{"run", request.model_dir},
                    {"evaluated on", "split " + request.split + " of " + data.cache + " (" + std::to_string(data.rows) +
                                         " utterances)"},
                    {"task", data.task},
                    {"masked modalities", request.masked.empty() ? "none" : join(request.masked, ", ")}});
  metrics_section(page, *data.scores);
  if (!data.scores->per_output.empty()) per_output_section(page, *data.scores, data.names);
  if (!data.scores->confusion.empty()) confusion_section(page, *data.scores, data.names);
  if (data.gate) gate_section(page, *data.gate, data.out_dir);
  if (!request.analysis.empty())
    page.paragraph("Slice analysis (" + request.analysis + "): analysis.md and analysis.csv beside this page.");
  if (data.split) {
    UtteranceViewInput input;
    input.data = data.split;
    input.conditions = {data.condition};
    input.reference = data.condition;
    input.names = data.names;
    input.slices = data.slices;
    input.transcripts = data.transcripts;
    input.page_dir = data.out_dir;
    ExplorerData explorer = utterance_view(input);
    explorer.scope = request.split + " split" + (request.masked.empty() ? "" : " (" + join(request.masked, ", ") + " masked)");
    explorer.no_script_note = "predictions.csv beside this page holds every utterance's prediction.";
    add_utterance_explorer(page, explorer);
  }
  page.heading("How this was made");
  page.definitions({{"daf", std::string("daf ") + version()},
                    {"command", command_line().empty() ? "(not from a daf executable)" : command_line()},
                    {"machine", machine_description()},
                    {"outputs", "predictions.csv, metrics.json, report.md and this page, in " + data.out_dir}});
  const std::string model_yaml = request.model_dir + "/model.yaml";
  if (std::filesystem::exists(model_yaml)) page.details("The run's resolved config (model.yaml)", read_file(model_yaml));
  return page.str();
}

}  // namespace daf
