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

std::string value_of(const std::string& override_text) { return override_text.substr(override_text.find('=') + 1); }

// Choice values as written in YAML ("[text, audio]") become one CSV field.
std::string plain(const std::string& value) { return csv_field(value); }

}  // namespace

namespace {

struct SeedRecord {
  double value = 0;        // search metric at the best epoch
  int64_t best_epoch = 0;  // by train.early_stop_metric, as the trainer picks it
  std::vector<double> history;  // search metric per epoch
};

// From metrics.csv: the best epoch among the first `epochs` (0: all), chosen
// as the trainer chooses it (strictly better than every earlier epoch; NaN
// never), and the search metric there. For a finished run this is its best
// epoch's validation score, as in final_metrics.
SeedRecord seed_record(const std::string& run_dir, const std::string& metric, const std::string& early_stop,
                       int64_t epochs) {
  const std::string path = run_dir + "/metrics.csv";
  const CsvTable table = read_csv(path);
  const size_t column = table.column("valid_" + metric, path), stop_column = table.column("valid_" + early_stop, path);
  const bool higher = metric_higher_is_better(early_stop);
  SeedRecord record;
  double best = 0;
  for (size_t e = 0; e < table.rows.size() && (epochs == 0 || static_cast<int64_t>(e) < epochs); ++e) {
    const double value = parse_value(table.rows[e].at(column)), stop = parse_value(table.rows[e].at(stop_column));
    record.history.push_back(value);
    if (std::isnan(stop) || (record.best_epoch > 0 && !(higher ? stop > best : stop < best))) continue;
    best = stop;
    record.best_epoch = static_cast<int64_t>(e) + 1;
    record.value = value;
  }
  if (record.best_epoch == 0) record.value = std::nan("");
  return record;
}

// A trial's run folders: one per seed, or per fold and seed under cross-validation.
std::vector<std::string> trial_dirs(const Sweep& sweep, size_t trial) {
  return sweep.run_dirs(sweep.output + "/trials/" + sweep.search.trial_conditions[trial].name);
}

}  // namespace

double trial_value(const Sweep& sweep, size_t trial, int64_t epochs) {
  const Config config = sweep.condition_config(sweep.search.trial_conditions[trial], sweep.seeds.front(), sweep.output);
  std::vector<double> values;  // over seeds, and folds under cross-validation
  for (const auto& dir : trial_dirs(sweep, trial))
    values.push_back(seed_record(dir, sweep.search.metric, config.train.early_stop_metric, epochs).value);
  return mean_std(values).mean;
}

std::vector<TrialRecord> read_trials(const Sweep& sweep, const std::vector<int64_t>& rungs,
                                     const std::vector<size_t>& last_rung) {
  std::vector<TrialRecord> out;
  const std::string& metric = sweep.search.metric;
  for (size_t t = 0; t < sweep.search.trial_conditions.size(); ++t) {
    const auto& trial = sweep.search.trial_conditions[t];
    const Config config = sweep.condition_config(trial, sweep.seeds.front(), sweep.output);
    TrialRecord record;
    record.name = trial.name;
    for (const auto& o : trial.overrides) record.values.push_back(value_of(o));
    std::vector<std::vector<double>> histories;
    for (const auto& dir : trial_dirs(sweep, t)) {
      const auto seed_result = seed_record(dir, metric, config.train.early_stop_metric, 0);
      record.seed_values.push_back(seed_result.value);
      if (record.best_epoch == 0) record.best_epoch = seed_result.best_epoch;
      histories.push_back(seed_result.history);
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
    record.rung = rungs.empty() ? 0 : static_cast<int64_t>(last_rung[t]);
    // Stopped by halving: paused at its last rung (a seed without final metrics), not
    // finished there by patience.
    bool paused = false;
    for (const auto& dir : trial_dirs(sweep, t))
      paused = paused || !std::filesystem::exists(dir + "/final_metrics.json");
    const bool halted = paused && !rungs.empty() && last_rung[t] + 1 < rungs.size() &&
                        record.epochs >= rungs[last_rung[t]];
    record.stopped = halted ? "halving"
                            : (record.epochs < config.train.max_epochs ? "patience" : "max_epochs");
    out.push_back(record);
  }
  return out;
}

std::vector<size_t> rank_trials(const Sweep& sweep, const std::vector<TrialRecord>& trials) {
  std::vector<double> values;
  for (const auto& t : trials) values.push_back(t.value);
  const auto by_value = rank_order(values, metric_higher_is_better(sweep.search.metric));
  // With halving, the trials that reached a later rung come first.
  std::vector<size_t> order(by_value);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return trials[a].rung > trials[b].rung; });
  return order;
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

std::string trials_csv(const Sweep& sweep, const std::vector<TrialRecord>& trials, const std::vector<size_t>& order,
                       const std::vector<int64_t>& rungs) {
  const std::string& metric = sweep.search.metric;
  int64_t epochs = 0;
  for (const auto& t : trials) epochs = std::max(epochs, t.epochs);
  std::vector<size_t> rank(trials.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = r + 1;
  std::string csv = "trial,rank";
  for (const auto& d : sweep.search.space) csv += "," + d.key;
  csv += ",valid_" + metric + ",valid_" + metric + "_std,seeds,best_epoch,epochs,stopped";
  if (!rungs.empty()) csv += ",rung";
  for (int64_t e = 1; e <= epochs; ++e) csv += ",valid_" + metric + "_epoch_" + std::to_string(e);
  csv += "\n";
  for (size_t i = 0; i < trials.size(); ++i) {
    const auto& t = trials[i];
    csv += t.name + "," + std::to_string(rank[i]);
    for (const auto& v : t.values) csv += "," + plain(v);
    csv += "," + format_number(t.value) + "," + (t.seed_values.size() > 1 ? format_number(t.std) : "") + "," +
           std::to_string(t.seed_values.size()) + "," + std::to_string(t.best_epoch) + "," +
           std::to_string(t.epochs) + "," + t.stopped;
    if (!rungs.empty()) csv += "," + std::to_string(t.rung + 1);
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
  Config config = sweep.condition_config(sweep.search.trial_conditions[index], seed, "runs/best");
  // Sweeps often run their runs quietly (output.log_level: warn); one run from best.yaml says
  // where it goes and how it does. The log level changes no number.
  if (config.output.log_level != "debug") config.output.log_level = "info";
  std::string header = "# The best configuration of the search " + sweep.source + ": " + best.name + ", rank 1 of " +
                       std::to_string(trials.size()) + " on validation " + sweep.search.metric + " " +
                       format_fixed(best.value, 4) + " (mean over trial seeds " + join_numbers(sweep.seeds) +
                       (sweep.cv.count() > 0 ? " and " + std::to_string(sweep.cv.count()) + " folds" : "") + ").\n";
  header += "# Searched:";
  for (const auto& o : sweep.search.trial_conditions[index].overrides) header += " " + o;
  header += "\n# Train it: daf-train --config best.yaml [output.dir=...]; with train.seed " + std::to_string(seed) +
            " it is the search's final run " + best_condition_name(1) + (sweep.cv.count() > 0 ? "/pooled" : "") +
            "/seed-" + std::to_string(seed) +
            " (test scores in summary.md).\n";
  return header + config_to_yaml(config);
}

double axis_value(const SearchDimension& d, const std::string& value) {
  if (d.kind == SearchDimension::Kind::kChoice)
    return static_cast<double>(std::find(d.choices.begin(), d.choices.end(), value) - d.choices.begin());
  return std::stod(value);
}

std::string search_markdown(const Sweep& sweep, const std::vector<TrialRecord>& trials,
                            const std::vector<size_t>& order, bool plot, const std::vector<int64_t>& rungs) {
  const auto& search = sweep.search;
  const std::string metric = search.metric;
  std::string md = "\n## Search\n\n" + std::to_string(search.trials) + " trials drawn by the " + search.sampler +
                   " sampler (seed " + std::to_string(search.seed) + "), each trained with seed(s) " +
                   join_numbers(sweep.seeds) +
                   (sweep.cv.count() > 0 ? " on each of " + std::to_string(sweep.cv.count()) + " folds" : "") +
                   " and ranked on validation " + metric + (sweep.cv.count() > 0 ? " (mean over folds and seeds)" : "") +
                   " (" +
                   (metric_higher_is_better(metric) ? "higher" : "lower") +
                   " is better) at its best epoch. The test split was not scored for any trial: test results above "
                   "are those of the final runs (" + best_condition_name(1) +
                   (search.top > 1 ? " .. " + best_condition_name(search.top) : "") +
                   ", the best trials retrained with seeds " + join_numbers(search.final_seeds) +
                   ", and the sweep's own conditions). Files: trials.csv, best.yaml.\n\n";
  if (!rungs.empty()) {
    std::vector<std::string> epochs;
    std::vector<int64_t> reached(rungs.size(), 0);
    for (const auto& t : trials)
      for (int64_t k = 0; k <= t.rung; ++k) ++reached[static_cast<size_t>(k)];
    for (size_t k = 0; k < rungs.size(); ++k)
      epochs.push_back(std::to_string(reached[k]) + " trials to epoch " + std::to_string(rungs[k]));
    md += "Successive halving (eta " + std::to_string(search.halving_eta) + "): " + join(epochs, ", ") +
          "; at each rung the trials are ranked on validation " + metric + " at their best epoch so far and the "
          "best 1/eta continue (halving.csv). Trials that reached a later rung rank first.\n\n";
  }
  MarkdownTable space({"key", "distribution"});
  for (const auto& d : search.space) space.add_row({d.key, describe(d)});
  md += space.str() + "\n";
  std::vector<std::string> header = {"rank", "trial"};
  for (const auto& d : search.space) header.push_back(d.key);
  header.insert(header.end(), {"valid " + metric, "best epoch", "epochs"});
  if (!rungs.empty()) header.push_back("rung");
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
    row.push_back(std::to_string(t.epochs) + (t.stopped == "max_epochs" ? "" : " (" + t.stopped + ")"));
    if (!rungs.empty()) row.push_back(std::to_string(t.rung + 1));
    table.add_row(row);
  }
  md += "Best " + std::to_string(shown) + " of " + std::to_string(trials.size()) + " trials:\n\n" + table.str();
  if (plot) md += "\n![validation " + metric + " against each searched key](plots/search.png)\n";
  if (plot && !rungs.empty()) md += "\n![the halving ladder: validation " + metric + " per epoch](plots/halving.png)\n";
  return md;
}

}  // namespace

void write_search_outputs(const Sweep& sweep, const std::vector<TrialRecord>& trials,
                          const std::vector<size_t>& order, bool plots, const std::vector<int64_t>& rungs) {
  write_file_atomic(sweep.output + "/trials.csv", trials_csv(sweep, trials, order, rungs));
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
  if (plot && !rungs.empty()) {
    // The ladder: every trial's validation curve, ending where halving (or patience) stopped it.
    LinePanel ladder;
    ladder.title = "successive halving: validation " + sweep.search.metric + " per epoch (rungs at epochs " +
                   [&] {
                     std::vector<std::string> e;
                     for (const int64_t r : rungs) e.push_back(std::to_string(r));
                     return join(e, ", ");
                   }() + ")";
    ladder.legend = false;
    for (const auto& t : trials) {
      LineSeries series{t.name, {}, {}, {}};
      for (size_t e = 0; e < t.history.size(); ++e) {
        if (std::isnan(t.history[e])) continue;
        series.x.push_back(static_cast<double>(e + 1));
        series.y.push_back(t.history[e]);
        series.err.push_back(0);
      }
      if (!series.x.empty()) ladder.series.push_back(series);
    }
    plot_lines(sweep.output + "/plots/halving.png", "epoch", "valid " + sweep.search.metric, {ladder});
  }
  write_file_atomic(sweep.output + "/search.md", search_markdown(sweep, trials, order, plot, rungs));
}

}  // namespace daf
