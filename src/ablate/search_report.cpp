#include "search_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "daf/metrics/statistics.h"
#include "daf/report/markdown_table.h"
#include "daf/report/plots.h"
#include "daf/search/ranking.h"
#include "daf/util/atomic_file.h"
#include "daf/util/csv.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace fs = std::filesystem;
namespace {

std::string join_numbers(const std::vector<int64_t>& numbers) {
  std::vector<std::string> parts;
  for (const int64_t n : numbers) parts.push_back(std::to_string(n));
  return join(parts, ", ");
}

double parse_value(const std::string& text) {
  if (text == "nan" || text == "-nan" || text.empty()) return std::nan("");
  return std::stod(text);
}

// The best epoch from final_metrics.json (written by daf: `"best_epoch":N`).
int64_t best_epoch_of(const std::string& run_dir) {
  const std::string json = read_file(run_dir + "/final_metrics.json");
  const auto at = json.find("\"best_epoch\":");
  if (at == std::string::npos) throw InputError(run_dir + "/final_metrics.json: no best_epoch");
  return std::stoll(json.substr(at + 13));
}

double valid_metric(const std::string& run_dir, const std::string& metric) {
  const std::string path = run_dir + "/final_metrics.csv";
  for (const auto& row : read_csv(path).rows)
    if (row.size() == 3 && row[0] == "valid" && row[1] == metric) return parse_value(row[2]);
  throw InputError(path + ": no validation " + metric);
}

// Validation metric per epoch from metrics.csv.
std::vector<double> history_of(const std::string& run_dir, const std::string& metric) {
  const std::string path = run_dir + "/metrics.csv";
  const CsvTable table = read_csv(path);
  const size_t column = table.column("valid_" + metric, path);
  std::vector<double> out;
  for (const auto& row : table.rows) out.push_back(parse_value(row.at(column)));
  return out;
}

std::string value_of(const std::string& override_text) { return override_text.substr(override_text.find('=') + 1); }

// Choice values as written in YAML ("[text, audio]") become one CSV field.
std::string plain(const std::string& value) { return csv_field(value); }

}  // namespace

std::vector<TrialRecord> read_trials(const Sweep& sweep) {
  std::vector<TrialRecord> out;
  const std::string& metric = sweep.search.metric;
  for (const auto& trial : sweep.search.trial_conditions) {
    TrialRecord record;
    record.name = trial.name;
    for (const auto& o : trial.overrides) record.values.push_back(value_of(o));
    std::vector<std::vector<double>> histories;
    for (const int64_t seed : sweep.seeds) {
      const std::string dir = sweep.output + "/trials/" + trial.name + "/seed-" + std::to_string(seed);
      record.seed_values.push_back(valid_metric(dir, metric));
      if (record.best_epoch == 0) record.best_epoch = best_epoch_of(dir);
      histories.push_back(history_of(dir, metric));
      record.epochs = std::max<int64_t>(record.epochs, static_cast<int64_t>(histories.back().size()));
    }
    const auto stats = mean_std(record.seed_values);
    record.value = stats.mean;
    record.std = stats.std;
    for (int64_t e = 0; e < record.epochs; ++e) {
      double sum = 0;
      int64_t count = 0;
      for (const auto& h : histories)
        if (e < static_cast<int64_t>(h.size())) {
          sum += h[static_cast<size_t>(e)];
          ++count;
        }
      record.history.push_back(sum / static_cast<double>(count));
    }
    const Config config = sweep.condition_config(trial, sweep.seeds.front(), sweep.output);
    record.stopped = record.epochs < config.train.max_epochs ? "patience" : "max_epochs";
    out.push_back(record);
  }
  return out;
}

std::vector<size_t> rank_trials(const Sweep& sweep, const std::vector<TrialRecord>& trials) {
  std::vector<double> values;
  for (const auto& t : trials) values.push_back(t.value);
  return rank_order(values, metric_higher_is_better(sweep.search.metric));
}

Sweep final_stage(const Sweep& sweep, const std::vector<size_t>& order) {
  Sweep out = sweep;
  out.has_search = false;
  out.conditions.clear();
  for (int64_t k = 0; k < sweep.search.top; ++k)
    out.conditions.push_back(
        {best_condition_name(k + 1), sweep.search.trial_conditions[order[static_cast<size_t>(k)]].overrides});
  out.conditions.insert(out.conditions.end(), sweep.conditions.begin(), sweep.conditions.end());
  out.seeds = sweep.search.final_seeds;
  return out;
}

namespace {

std::string trials_csv(const Sweep& sweep, const std::vector<TrialRecord>& trials, const std::vector<size_t>& order) {
  const std::string& metric = sweep.search.metric;
  int64_t epochs = 0;
  for (const auto& t : trials) epochs = std::max(epochs, t.epochs);
  std::vector<size_t> rank(trials.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = r + 1;
  std::string csv = "trial,rank";
  for (const auto& d : sweep.search.space) csv += "," + d.key;
  csv += ",valid_" + metric + ",valid_" + metric + "_std,seeds,best_epoch,epochs,stopped";
  for (int64_t e = 1; e <= epochs; ++e) csv += ",valid_" + metric + "_epoch_" + std::to_string(e);
  csv += "\n";
  for (size_t i = 0; i < trials.size(); ++i) {
    const auto& t = trials[i];
    csv += t.name + "," + std::to_string(rank[i]);
    for (const auto& v : t.values) csv += "," + plain(v);
    csv += "," + format_number(t.value) + "," + (t.seed_values.size() > 1 ? format_number(t.std) : "") + "," +
           std::to_string(t.seed_values.size()) + "," + std::to_string(t.best_epoch) + "," +
           std::to_string(t.epochs) + "," + t.stopped;
    for (int64_t e = 0; e < epochs; ++e)
      csv += "," + (e < static_cast<int64_t>(t.history.size()) ? format_number(t.history[static_cast<size_t>(e)]) : "");
    csv += "\n";
  }
  return csv;
}

std::string best_yaml(const Sweep& sweep, const std::vector<TrialRecord>& trials, const std::vector<size_t>& order) {
  const auto& best = trials[order.front()];
  const size_t index = order.front();
  const int64_t seed = sweep.search.final_seeds.front();
  // output.dir does not name the search's folder: the file is the same wherever the search ran.
  const Config config = sweep.condition_config(sweep.search.trial_conditions[index], seed, "runs/best");
  std::string header = "# The best configuration of the search " + sweep.source + ": " + best.name + ", rank 1 of " +
                       std::to_string(trials.size()) + " on validation " + sweep.search.metric + " " +
                       format_fixed(best.value, 4) + " (mean over trial seeds " + join_numbers(sweep.seeds) + ").\n";
  header += "# Searched:";
  for (const auto& o : sweep.search.trial_conditions[index].overrides) header += " " + o;
  header += "\n# Train it: daf-train --config best.yaml [output.dir=...]; with train.seed " + std::to_string(seed) +
            " it is the search's final run " + best_condition_name(1) + "/seed-" + std::to_string(seed) +
            " (test scores in summary.md).\n";
  return header + config_to_yaml(config);
}

double axis_value(const SearchDimension& d, const std::string& value) {
  if (d.kind == SearchDimension::Kind::kChoice)
    return static_cast<double>(std::find(d.choices.begin(), d.choices.end(), value) - d.choices.begin());
  return std::stod(value);
}

std::string search_markdown(const Sweep& sweep, const std::vector<TrialRecord>& trials,
                            const std::vector<size_t>& order, bool plot) {
  const auto& search = sweep.search;
  const std::string metric = search.metric;
  std::string md = "\n## Search\n\n" + std::to_string(search.trials) + " trials drawn by the " + search.sampler +
                   " sampler (seed " + std::to_string(search.seed) + "), each trained with seed(s) " +
                   join_numbers(sweep.seeds) + " and ranked on validation " + metric + " (" +
                   (metric_higher_is_better(metric) ? "higher" : "lower") +
                   " is better) at its best epoch. The test split was not scored for any trial: test results above "
                   "are those of the final runs (" + best_condition_name(1) +
                   (search.top > 1 ? " .. " + best_condition_name(search.top) : "") +
                   ", the best trials retrained with seeds " + join_numbers(search.final_seeds) +
                   ", and the sweep's own conditions). Files: trials.csv, best.yaml.\n\n";
  MarkdownTable space({"key", "distribution"});
  for (const auto& d : search.space) space.add_row({d.key, describe(d)});
  md += space.str() + "\n";
  std::vector<std::string> header = {"rank", "trial"};
  for (const auto& d : search.space) header.push_back(d.key);
  header.insert(header.end(), {"valid " + metric, "best epoch", "epochs"});
  MarkdownTable table(header);
  const size_t shown = std::min<size_t>(order.size(), std::max<int64_t>(10, search.top));
  for (size_t r = 0; r < shown; ++r) {
    const auto& t = trials[order[r]];
    std::vector<std::string> row = {std::to_string(r + 1) +
                                        (static_cast<int64_t>(r) < search.top ? " (" + best_condition_name(
                                                                                   static_cast<int64_t>(r) + 1) + ")"
                                                                              : ""),
                                    t.name};
    row.insert(row.end(), t.values.begin(), t.values.end());
    row.push_back(t.seed_values.size() > 1 ? format_fixed(t.value, 4) + " ± " + format_fixed(t.std, 4)
                                           : format_fixed(t.value, 4));
    row.push_back(std::to_string(t.best_epoch));
    row.push_back(std::to_string(t.epochs) + (t.stopped == "patience" ? " (patience)" : ""));
    table.add_row(row);
  }
  md += "Best " + std::to_string(shown) + " of " + std::to_string(trials.size()) + " trials:\n\n" + table.str();
  if (plot) md += "\n![validation " + metric + " against each searched key](plots/search.png)\n";
  return md;
}

}  // namespace

void write_search_outputs(const Sweep& sweep, const std::vector<TrialRecord>& trials,
                          const std::vector<size_t>& order, bool plots) {
  write_file_atomic(sweep.output + "/trials.csv", trials_csv(sweep, trials, order));
  write_file_atomic(sweep.output + "/best.yaml", best_yaml(sweep, trials, order));
  const bool plot = plots && gnuplot_available();
  if (plot) {
    fs::create_directories(sweep.output + "/plots");
    std::vector<PointPanel> panels;
    for (size_t d = 0; d < sweep.search.space.size(); ++d) {
      const auto& dimension = sweep.search.space[d];
      PointPanel panel;
      panel.xlabel = dimension.key;
      panel.log_x = dimension.kind == SearchDimension::Kind::kLogUniform;
      if (dimension.kind == SearchDimension::Kind::kChoice) panel.x_labels = dimension.choices;
      for (const auto& t : trials) {
        if (std::isnan(t.value)) continue;
        panel.x.push_back(axis_value(dimension, t.values[d]));
        panel.y.push_back(t.value);
      }
      panels.push_back(panel);
    }
    plot_points(sweep.output + "/plots/search.png", "search: validation " + sweep.search.metric + " of each trial",
                "valid " + sweep.search.metric, panels);
  }
  write_file_atomic(sweep.output + "/search.md", search_markdown(sweep, trials, order, plot));
}

}  // namespace daf
