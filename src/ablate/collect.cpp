#include "daf/ablate/collect.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "collected_runs.h"
#include "daf/analysis/paired_comparison.h"
#include "daf/ablate/plan.h"
#include "daf/ablate/summary_html.h"
#include "daf/config/config.h"
#include "daf/metrics/statistics.h"
#include "daf/report/gate_summary.h"
#include "daf/report/markdown_table.h"
#include "daf/report/plots.h"
#include "daf/util/atomic_file.h"
#include "daf/util/csv.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace fs = std::filesystem;

// One value has no spread: its std is not printed as 0.
std::string cell(const MeanStd& s) {
  return s.n == 1 ? format_fixed(s.mean, 4) + " (one value)" : format_fixed(s.mean, 4) + " ± " + format_fixed(s.std, 4);
}

MeanStd stats_of(const Collected& c, const std::string& condition, const std::string& eval, const std::string& column) {
  const auto by_eval = c.values.find(condition);
  if (by_eval == c.values.end()) return mean_std({});
  const auto by_column = by_eval->second.find(eval);
  if (by_column == by_eval->second.end()) return mean_std({});
  const auto values = by_column->second.find(column);
  return values == by_column->second.end() ? mean_std({}) : mean_std(values->second);
}

namespace {

// Shards that reported completion, e.g. {"1-of-4", "3-of-4"}, and their count N (0 when none).
std::pair<std::vector<std::string>, int64_t> finished_shards(const std::string& dir) {
  std::vector<std::string> names;
  int64_t count = 0;
  if (fs::exists(dir + "/shards"))
    for (const auto& entry : fs::directory_iterator(dir + "/shards")) {
      const std::string name = entry.path().stem().string();
      const auto of = name.find("-of-");
      if (entry.path().extension() != ".done" || of == std::string::npos) continue;
      names.push_back(name);
      count = std::max<int64_t>(count, std::stoll(name.substr(of + 4)));
    }
  std::sort(names.begin(), names.end());
  return {names, count};
}

std::vector<std::string> find_missing(const std::string& dir, const Plan& plan) {
  const auto [shards, shard_count] = finished_shards(dir);
  std::vector<std::string> missing;
  for (size_t i = 0; i < plan.runs.size(); ++i) {
    const auto& run = plan.runs[i];
    if (fs::exists(dir + "/" + run.dir + "/ablation.csv")) continue;
    std::string line = run.condition + (run.fold > 0 ? " fold " + std::to_string(run.fold) : "") + " seed " +
                       std::to_string(run.seed) + " (" + run.dir;
    if (shard_count > 0)
      line += ", shard " + std::to_string(i % static_cast<size_t>(shard_count) + 1) + "/" + std::to_string(shard_count);
    missing.push_back(line + ")");
  }
  // Cross-validation: a (condition, seed) whose folds are all done is pooled by the
  // sweep's last shard; one killed before that pools when the sweep runs again.
  if (missing.empty())
    for (const auto& run : pooled_runs(plan))
      if (plan.folds > 0 && !fs::exists(dir + "/" + run.dir + "/ablation.csv"))
        missing.push_back(run.condition + " seed " + std::to_string(run.seed) + " (" + run.dir +
                          ": its folds are finished but not pooled; run the sweep again to pool them)");
  return missing;
}

bool parses_as_number(const std::string& text) {
  if (text == "nan" || text == "-nan" || text == "inf" || text == "-inf") return true;
  try {
    size_t used = 0;
    std::stod(text, &used);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

// A run's ablation.csv must be whole: it ends with a newline, has one row per
// evaluation that applies to the run, in the plan's order, and numbers in
// every metric column. A damaged file (a truncated copy, a disk that filled)
// fails the collect, naming the run.
void check_ablation_file(const std::string& path, const CsvTable& table, const PlanRun& run, const Plan& plan) {
  auto damaged = [&](const std::string& what) {
    throw InputError(path + ": damaged (" + what + "); run " + run.condition + " seed " + std::to_string(run.seed) +
                     " is incomplete: delete the file and rerun the sweep to evaluate it again");
  };
  const std::string text = read_file(path);
  if (text.empty() || text.back() != '\n') damaged("the last line is cut off");
  if (table.header.empty() || table.header.front() != "eval") damaged("the header does not start with 'eval'");
  const auto condition = std::find_if(plan.conditions.begin(), plan.conditions.end(),
                                      [&](const PlanCondition& c) { return c.name == run.condition; });
  if (condition != plan.conditions.end() && !condition->evaluations.empty()) {
    std::vector<std::string> found;
    for (const auto& row : table.rows) found.push_back(row.front());
    if (found != condition->evaluations)
      damaged("evaluations [" + join(found, ", ") + "], the plan expects [" + join(condition->evaluations, ", ") + "]");
  } else if (table.rows.empty() || table.rows.front().front() != "clean") {
    damaged("no 'clean' row first");
  }
  for (size_t r = 0; r < table.rows.size(); ++r)
    for (size_t i = 1; i < table.header.size(); ++i) {
      const std::string& value = table.rows[r][i];
      const bool weight = table.header[i].rfind("weight_", 0) == 0;
      if (!(weight && value.empty()) && !parses_as_number(value))
        damaged("line " + std::to_string(table.lines[r]) + ", column " + table.header[i] + ": '" + value +
                "' is not a number");
    }
}

Collected read_runs(const std::string& dir, const Plan& plan) {
  Collected c;
  std::set<std::string> seen_modalities;
  for (const auto& condition : plan.conditions)
    for (const auto& m : condition.modalities)
      if (seen_modalities.insert(m).second) c.modalities.push_back(m);
  std::vector<std::string> lines;
  for (const auto& run : plan.runs) {
    const std::string path = dir + "/" + run.dir + "/ablation.csv";
    if (!fs::exists(path)) continue;
    CsvTable table;
    try {
      table = read_csv(path);
    } catch (const InputError& e) {
      throw InputError(std::string(e.what()) + "; run " + run.condition + " seed " + std::to_string(run.seed) +
                       " is incomplete: delete the file and rerun the sweep to evaluate it again");
    }
    check_ablation_file(path, table, run, plan);
    if (c.metrics.empty())
      for (size_t i = 1; i < table.header.size(); ++i)
        if (table.header[i].rfind("weight_", 0) != 0) c.metrics.push_back(table.header[i]);
    for (const auto& row : table.rows) {
      std::string line = csv_field(run.condition) + "," + std::to_string(run.seed) + "," + row[0];
      for (const auto& column : c.metrics) {
        const std::string& text = row[table.column(column, path)];
        c.values[run.condition][row[0]][column].push_back(std::stod(text));
        c.by_seed[run.condition][row[0]][column][run.seed] = std::stod(text);
        line += "," + text;
      }
      for (const auto& m : c.modalities) {
        const auto it = std::find(table.header.begin(), table.header.end(), "weight_" + m);
        const std::string text = it == table.header.end() ? "" : row[static_cast<size_t>(it - table.header.begin())];
        if (!text.empty()) c.values[run.condition][row[0]]["weight_" + m].push_back(std::stod(text));
        line += "," + text;
      }
      lines.push_back(line);
    }
  }
  c.runs_csv = "condition,seed,eval," + join(c.metrics, ",");
  for (const auto& m : c.modalities) c.runs_csv += ",weight_" + m;
  c.runs_csv += "\n";
  for (const auto& line : lines) c.runs_csv += line + "\n";
  return c;
}

// Clean-evaluation table: mean ± std over seeds, the best mean per column in bold (every
// condition that ties it at the 4 printed decimals).
// Cross-validated (`folds`): summary.csv adds each metric's mean and sample std over folds.
std::string summary_tables(const Plan& plan, const Collected& c, const std::string& dir, const FoldMetrics* folds) {
  std::string csv = "condition,seeds";
  for (const auto& m : c.metrics) csv += "," + m + "_mean," + m + "_std";
  if (folds)
    for (const auto& m : c.metrics) csv += "," + m + "_folds_mean," + m + "_folds_std";
  csv += "\n";
  std::vector<std::string> header = {"condition", "seeds"};
  header.insert(header.end(), c.metrics.begin(), c.metrics.end());
  MarkdownTable table(header);
  std::map<std::string, double> best;
  for (const auto& m : c.metrics)
    for (const auto& condition : plan.conditions) {
      const double mean = stats_of(c, condition.name, "clean", m).mean;
      if (std::isnan(mean)) continue;
      const bool higher = metric_higher_is_better(m);
      if (!best.count(m) || (higher ? mean > best[m] : mean < best[m])) best[m] = mean;
    }
  for (const auto& condition : plan.conditions) {
    const int64_t seeds = stats_of(c, condition.name, "clean", c.metrics.front()).n;
    std::vector<std::string> row = {condition.name, std::to_string(seeds)};
    csv += csv_field(condition.name) + "," + std::to_string(seeds);
    for (const auto& m : c.metrics) {
      const MeanStd s = stats_of(c, condition.name, "clean", m);
      csv += "," + format_number(s.mean) + "," + format_number(s.std);
      // Equal at the printed precision is equal: ties are all bold.
      const bool bold = best.count(m) && format_fixed(s.mean, 4) == format_fixed(best[m], 4);
      row.push_back(bold ? "**" + cell(s) + "**" : cell(s));
    }
    if (folds)
      for (const auto& m : c.metrics) {
        const MeanStd s = folds->over_folds(condition.name, m, plan.folds);
        csv += "," + format_number(s.mean) + "," + format_number(s.std);
      }
    csv += "\n";
    table.add_row(row);
  }
  write_file_atomic(dir + "/summary.csv", csv);
  return "## Test metrics (mean ± sample std over seeds; best in bold)\n\n" + table.str();
}

// What daf-ablate prints on the terminal: the task's primary metric and two others per
// condition, narrow enough for a terminal (summary.md has every metric and section).
std::string headline_table(const Plan& plan, const Collected& c) {
  const std::map<std::string, std::vector<std::string>> preferred = {
      {"regression", {"MAE", "Corr", "Has0_F1_score"}},
      {"binary", {"F1_weighted", "accuracy", "F1_macro"}},
      {"seven_class", {"F1_weighted", "accuracy", "F1_macro"}},
      {"multiclass", {"UAR", "accuracy", "F1_weighted"}},
      {"multilabel", {"WA_mean", "F1_micro", "F1_macro"}}};
  std::vector<std::string> metrics;
  const auto it = preferred.find(plan.task);
  for (const auto& m : it == preferred.end() ? std::vector<std::string>{primary_metric(plan.task)} : it->second)
    if (std::find(c.metrics.begin(), c.metrics.end(), m) != c.metrics.end()) metrics.push_back(m);
  std::vector<std::string> header = {"condition"};
  header.insert(header.end(), metrics.begin(), metrics.end());
  MarkdownTable table(header);
  for (const auto& condition : plan.conditions) {
    std::vector<std::string> row = {condition.name};
    for (const auto& m : metrics) row.push_back(cell(stats_of(c, condition.name, "clean", m)));
    table.add_row(row);
  }
  return table.str();
}

std::string robustness_tables(const Plan& plan, const Collected& c, const std::string& dir) {
  std::vector<std::string> evaluations;  // the missing-rate protocol has a section of its own
  for (const auto& eval : plan.evaluations)
    if (!is_missing_rate_eval(eval)) evaluations.push_back(eval);
  if (evaluations.size() < 2) return "";
  const std::string metric = primary_metric(plan.task);
  std::string csv = "condition,eval,metric,mean,std,seeds\n";
  std::vector<std::string> header = {"condition"};
  header.insert(header.end(), evaluations.begin(), evaluations.end());
  MarkdownTable table(header);
  for (const auto& condition : plan.conditions) {
    std::vector<std::string> row = {condition.name};
    for (const auto& eval : evaluations) {
      const MeanStd s = stats_of(c, condition.name, eval, metric);
      row.push_back(s.n == 0 ? "n/a" : cell(s));
      if (s.n > 0)
        csv += csv_field(condition.name) + "," + eval + "," + metric + "," + format_number(s.mean) + "," +
               format_number(s.std) + "," + std::to_string(s.n) + "\n";
    }
    table.add_row(row);
  }
  write_file_atomic(dir + "/robustness.csv", csv);
  return "\n## Robustness: test " + metric + " per evaluation condition\n\n" +
         "`mask-<m>`: modality m missing for every utterance; `noise-<m>-<s>`: Gaussian noise of std s added to "
         "m's normalised features. n/a: the condition does not use that modality.\n\n" + table.str();
}

// Cross-validation: each pooled utterance's fold (the cv_fold column of the pooled predictions).
std::vector<int64_t> fold_strata(const std::string& path) {
  const CsvTable table = read_csv(path);
  const size_t column = table.column("cv_fold", path);
  std::vector<int64_t> out;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const std::string& text = table.rows[r][column];
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
      throw InputError(path + " line " + std::to_string(table.lines[r]) + ": cv_fold '" + text +
                       "' is not a fold number; delete the pooled run's folder and rerun the sweep to pool again");
    out.push_back(std::stoll(text));
  }
  return out;
}

// `headline` gets the primary metric's comparison in one line. Cross-validated: the
// differences are those of the pooled metrics, per seed; the t-test pairs the per-fold
// metrics by (fold, seed); the bootstrap resamples the pooled utterances within each fold.
std::string comparison_section(const Plan& plan, const std::vector<PlanRun>& runs, const std::string& dir,
                               std::string& headline) {
  if (plan.reference.empty()) return "";
  std::map<int64_t, RunPredictions> reference, baseline;
  using FoldSeed = std::pair<int64_t, int64_t>;
  std::map<FoldSeed, RunPredictions> fold_reference, fold_baseline;
  std::vector<int64_t> strata;
  for (const auto& run : runs) {
    const std::string path = dir + "/" + run.dir + "/eval/test/predictions.csv";
    if (!fs::exists(dir + "/" + run.dir + "/ablation.csv")) continue;
    if (run.condition == plan.reference) reference[run.seed] = read_predictions(path, plan.task);
    if (run.condition == plan.baseline) baseline[run.seed] = read_predictions(path, plan.task);
    if (plan.folds > 0 && strata.empty() && run.condition == plan.reference) strata = fold_strata(path);
  }
  const bool folds = plan.folds > 0;
  if (folds)
    for (const auto& run : plan.runs) {  // the fold runs, keyed by (fold, seed)
      const std::string path = dir + "/" + run.dir + "/eval/test/predictions.csv";
      if (!fs::exists(dir + "/" + run.dir + "/ablation.csv")) continue;
      const FoldSeed key{run.fold, run.seed};
      if (run.condition == plan.reference) fold_reference[key] = read_predictions(path, plan.task);
      if (run.condition == plan.baseline) fold_baseline[key] = read_predictions(path, plan.task);
    }
  auto comparisons = compare_conditions(reference, baseline, plan.task, plan.bootstrap, nullptr, false,
                                        folds && !strata.empty() ? &strata : nullptr);
  if (comparisons.empty()) return "";
  // Per (fold, seed): each fold run's metric on its own test fold (the folds differ in size).
  std::map<std::string, std::vector<std::tuple<FoldSeed, double, double>>> per_fold;  // metric -> (pair, ref, base)
  std::map<std::string, PairedTTest> fold_tests;
  for (const auto& c : comparisons) {
    std::vector<double> differences;
    for (const auto& [key, run] : fold_reference) {
      const auto other = fold_baseline.find(key);
      if (other == fold_baseline.end()) continue;
      Indices all(run.ids.size());
      for (size_t i = 0; i < all.size(); ++i) all[i] = i;
      const double a = run_metric(c.metric, plan.task, run, all), b = run_metric(c.metric, plan.task, other->second, all);
      per_fold[c.metric].emplace_back(key, a, b);
      differences.push_back(a - b);
    }
    if (folds) fold_tests[c.metric] = paired_t_test(differences);
  }
  std::string csv = std::string(folds ? "metric,fold,seed," : "metric,seed,") + plan.reference + "," + plan.baseline +
                    ",difference\n";
  const size_t pairs = comparisons.empty() ? 0 : per_fold[comparisons.front().metric].size();
  const std::string t_header = folds ? "paired t-test p (" + std::to_string(pairs) + " fold x seed pairs)"
                                     : "paired t-test p";
  const std::string ci_header = "bootstrap 95% CI (" + std::to_string(plan.bootstrap) + " resamples" +
                                (folds ? " within folds)" : ")");
  MarkdownTable table({"metric", "mean difference", "per-seed differences", t_header, ci_header});
  for (const auto& c : comparisons) {
    std::vector<std::string> per_seed;
    for (size_t i = 0; i < c.seeds.size(); ++i) {
      per_seed.push_back(format_fixed(c.difference[i], 4));
      csv += c.metric + (folds ? ",pooled," : ",") + std::to_string(c.seeds[i]) + "," + format_number(c.reference[i]) +
             "," + format_number(c.baseline[i]) + "," + format_number(c.difference[i]) + "\n";
    }
    const PairedTTest& test = folds && fold_tests.count(c.metric) ? fold_tests[c.metric] : c.t_test;
    table.add_row({c.metric, format_fixed(c.t_test.mean_difference, 4), join(per_seed, ", "), format_fixed(test.p, 4),
                   "[" + format_fixed(c.bootstrap.low, 4) + ", " + format_fixed(c.bootstrap.high, 4) + "]"});
    if (c.metric == primary_metric(plan.task))
      headline = plan.reference + " - " + plan.baseline + (folds ? ", folds pooled, paired by seed: " : ", paired by seed: ") +
                 c.metric + " " + format_fixed(c.t_test.mean_difference, 4) + " (t-test p " + format_fixed(test.p, 4) +
                 (folds ? " over fold x seed pairs" : "") + ", bootstrap 95% CI [" + format_fixed(c.bootstrap.low, 4) +
                 ", " + format_fixed(c.bootstrap.high, 4) + "])\n";
  }
  for (const auto& c : comparisons)  // the per-fold differences the t-test pairs
    for (const auto& [key, a, b] : per_fold[c.metric]) {
      csv += c.metric + "," + std::to_string(key.first) + "," + std::to_string(key.second) + "," +
             format_number(a) + "," + format_number(b) + "," + format_number(a - b) + "\n";
    }
  write_file_atomic(dir + "/comparison.csv", csv);
  return "\n## " + plan.reference + " vs " + plan.baseline + " (" +
         (folds ? "folds pooled, paired by seed; t-test over the per-fold metrics paired by fold and seed"
                : "paired by seed") +
         "; difference = " + plan.reference + " - " + plan.baseline + ")\n\n" + table.str();
}

// How each gated condition weights its modalities, and how the weight of a
// masked or noised modality moves relative to the clean evaluation.
std::string gate_section(const Plan& plan, const Collected& c, const std::string& dir) {
  std::string csv = "condition,eval,modality,weight_mean,weight_std,shift_vs_clean\n";
  std::string md;
  for (const auto& condition : plan.conditions) {
    if (condition.fusion != "dynamic" || condition.modalities.size() < 2) continue;
    std::vector<std::string> header = {"eval"};
    for (const auto& m : condition.modalities) header.push_back(m);
    header.push_back("affected modality: weight vs clean");
    MarkdownTable table(header);
    for (const auto& eval : plan.evaluations) {
      if (stats_of(c, condition.name, eval, "weight_" + condition.modalities.front()).n == 0) continue;
      std::vector<std::string> row = {eval};
      std::string affected = "";
      for (const auto& m : condition.modalities) {
        const MeanStd s = stats_of(c, condition.name, eval, "weight_" + m);
        const MeanStd clean_stats = stats_of(c, condition.name, "clean", "weight_" + m);
        const double clean = clean_stats.mean;
        row.push_back(format_fixed(s.mean, 3));
        csv += csv_field(condition.name) + "," + eval + "," + m + "," + format_number(s.mean) + "," +
               format_number(s.std) + "," + format_number(s.mean - clean) + "\n";
        if (eval.find("-" + m) != std::string::npos && eval != "clean")
          affected = m + ": " + format_fixed(clean, 3) + " -> " + format_fixed(s.mean, 3) + " (" +
                     weight_shift_verdict(clean_stats, s) + ")";
      }
      row.push_back(affected);
      table.add_row(row);
    }
    md += "\n## Gate weights of " + condition.name + " (mean over seeds)\n\n" + table.str();
  }
  if (!md.empty()) write_file_atomic(dir + "/gates.csv", csv);
  return md;
}

std::string plots_section(const Plan& plan, const Collected& c, const std::string& dir) {
  if (!gnuplot_available()) {
    spdlog::warn("gnuplot not found: no plots (install gnuplot-nox)");
    return "";
  }
  fs::create_directories(dir + "/plots");
  std::string md = "\n## Plots\n\n";
  const std::string metric = primary_metric(plan.task);
  std::vector<BarGroup> bars;
  for (const auto& condition : plan.conditions) {
    const MeanStd s = stats_of(c, condition.name, "clean", metric);
    bars.push_back({condition.name, s.mean, s.std});
  }
  plot_bars(dir + "/plots/metric.png", "test " + metric + " per condition (mean ± std over seeds)", metric, bars);
  md += "![test " + metric + " per condition](plots/metric.png)\n\n";

  for (const auto& condition : plan.conditions) {
    if (condition.fusion != "dynamic" || condition.modalities.size() < 2) continue;
    std::vector<std::pair<std::string, std::vector<double>>> samples;
    for (const auto& m : condition.modalities) samples.push_back({m, {}});
    for (const auto& run : plan.runs) {
      const std::string path = dir + "/" + run.dir + "/eval/test/predictions.csv";
      if (run.condition != condition.name || !fs::exists(path)) continue;
      const CsvTable table = read_csv(path);
      for (size_t m = 0; m < samples.size(); ++m) {
        const size_t column = table.column("weight_" + samples[m].first, path);
        for (const auto& row : table.rows) samples[m].second.push_back(std::stod(row[column]));
      }
    }
    const std::string png = "plots/gates-" + condition.name + ".png";
    plot_boxes(dir + "/" + png, condition.name + ": gate weight per test utterance (all seeds)", "weight", samples);
    md += "![gate weights of " + condition.name + "](" + png + ")\n\n";
  }

  std::vector<LinePanel> panels;
  std::set<std::string> noised;
  for (const auto& eval : plan.evaluations)
    if (eval.rfind("noise-", 0) == 0) noised.insert(eval.substr(6, eval.rfind('-') - 6));
  for (const auto& modality : noised) {
    LinePanel panel{"noise on " + modality, {}};
    for (const auto& condition : plan.conditions) {
      if (std::find(condition.modalities.begin(), condition.modalities.end(), modality) == condition.modalities.end())
        continue;
      LineSeries series{condition.name, {0}, {}, {}};
      const MeanStd clean = stats_of(c, condition.name, "clean", metric);
      series.y.push_back(clean.mean);
      series.err.push_back(clean.std);
      for (const auto& eval : plan.evaluations)
        if (eval.rfind("noise-" + modality + "-", 0) == 0) {
          const MeanStd s = stats_of(c, condition.name, eval, metric);
          series.x.push_back(std::stod(eval.substr(eval.rfind('-') + 1)));
          series.y.push_back(s.mean);
          series.err.push_back(s.std);
        }
      panel.series.push_back(series);
    }
    panels.push_back(panel);
  }
  if (!panels.empty()) {
    plot_lines(dir + "/plots/robustness.png", "noise std (normalised features)", "test " + metric, panels);
    md += "![robustness to noise](plots/robustness.png)\n";
  }
  return md;
}

}  // namespace

CollectResult collect_sweep(const std::string& dir, const CollectOptions& options) {
  const std::string plan_path = dir + "/plan.yaml";
  if (!fs::exists(plan_path))
    throw InputError(fs::exists(dir + "/trials")
                         ? dir + ": no plan.yaml yet: the search's trials are not all finished, so its final stage "
                                 "has not started; run daf-ablate --config SWEEP again (every shard) once they are"
                         : dir + ": no plan.yaml: not a daf-ablate output folder, or no shard has started yet");
  const Plan plan = read_plan(plan_path);
  CollectResult result;
  result.missing = find_missing(dir, plan);
  if (!result.missing.empty() && !options.allow_partial) {
    const auto shards = finished_shards(dir).first;
    throw InputError(dir + ": " + std::to_string(result.missing.size()) + " of " + std::to_string(plan.runs.size()) +
                     " runs are not finished (shards reported done: " + (shards.empty() ? "none" : join(shards, ", ")) +
                     "):\n  " + join(result.missing, "\n  ") +
                     "\nrerun the shards named above (finished runs are kept), or pass --allow-partial");
  }
  // Cross-validation: the report's runs are the pooled ones, one per (condition, seed).
  Plan report_plan = plan;
  if (plan.folds > 0) report_plan.runs = pooled_runs(plan);
  const Collected collected = read_runs(dir, report_plan);
  if (collected.metrics.empty()) throw InputError(dir + ": no finished run to collect");
  result.runs = static_cast<int64_t>(plan.runs.size() - result.missing.size());
  write_file_atomic(dir + "/runs.csv", collected.runs_csv);

  const std::string folds_x = plan.folds > 0 ? std::to_string(plan.folds) + " folds x " : "";
  std::string md = "# daf-ablate: " + dir + "\n\n" + std::to_string(plan.conditions.size()) + " conditions x " +
                   folds_x + std::to_string(plan.seeds.size()) + " seeds; " + std::to_string(result.runs) +
                   " runs collected" +
                   (result.missing.empty() ? "" : " (" + std::to_string(result.missing.size()) + " missing)") +
                   ". Files: runs.csv, summary.csv, robustness.csv, comparison.csv, gates.csv" +
                   (plan.folds > 0 ? ", folds.csv, folds.yaml" : "") +
                   (plan.analysis.empty() ? "" : ", analysis.csv, top_utterances.csv") + ".\n\n";
  if (plan.folds > 0)
    md += "Cross-validated: every metric below but the per-fold table is computed on the test predictions of all " +
          std::to_string(plan.folds) + " folds pooled, per seed (" + plan.conditions.front().name +
          "/pooled/seed-*/eval/test/predictions.csv).\n\n";
  const FoldMetrics folds = read_fold_metrics(plan, dir);
  md += summary_tables(report_plan, collected, dir, plan.folds > 0 ? &folds : nullptr);
  md += fold_section(plan, folds, collected, dir, options.plots);
  // A search's section (search/search_report): the trials and how the final conditions were chosen.
  if (fs::exists(dir + "/search.md")) md += read_file(dir + "/search.md");
  std::string comparison_line;
  md += comparison_section(plan, report_plan.runs, dir, comparison_line);
  md += analysis_section(report_plan, dir, options.plots);
  md += robustness_tables(report_plan, collected, dir);
  md += missing_rate_section(report_plan, collected, dir, options.plots);
  md += gate_section(report_plan, collected, dir);
  if (options.plots) md += plots_section(report_plan, collected, dir);
  write_file_atomic(dir + "/summary.md", md);
  write_file_atomic(dir + "/summary.html", sweep_summary_html(dir, md));
  result.summary_markdown = md;
  result.terminal_summary = std::string(plan.folds > 0 ? "Test folds pooled" : "Test split") +
                            ", mean ± sample std over seeds:\n\n" + headline_table(plan, collected) +
                            (comparison_line.empty() ? "" : "\n" + comparison_line) +
                            "\nEvery metric, the comparison, robustness and gate tables: " + dir + "/summary.md and " +
                            dir + "/summary.html\n";
  return result;
}

}  // namespace daf
