#include "daf/analysis/slice_analysis.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

#include "daf/config/task.h"
#include "daf/report/markdown_table.h"
#include "daf/report/plots.h"
#include "daf/util/csv.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

const std::map<int64_t, RunPredictions> kNoRuns;

const std::map<int64_t, RunPredictions>& runs(const SliceData& data, const std::string& condition) {
  const auto it = data.conditions.find(condition);
  return it == data.conditions.end() ? kNoRuns : it->second;
}

std::vector<int64_t> paired_seeds(const std::map<int64_t, RunPredictions>& a,
                                  const std::map<int64_t, RunPredictions>& b) {
  std::vector<int64_t> seeds;
  for (const auto& [seed, run] : a)
    if (b.count(seed)) seeds.push_back(seed);
  return seeds;
}

// The seed-averaged difference of the primary metric on `rows`; NaN where undefined.
double mean_difference(const std::map<int64_t, RunPredictions>& reference,
                       const std::map<int64_t, RunPredictions>& baseline, const std::string& task,
                       const std::vector<int64_t>& seeds, const Indices& rows) {
  const std::string metric = primary_metric(task);
  double sum = 0;
  for (int64_t seed : seeds)
    sum += run_metric(metric, task, reference.at(seed), rows) - run_metric(metric, task, baseline.at(seed), rows);
  return seeds.empty() ? std::nan("") : sum / static_cast<double>(seeds.size());
}

std::string value(double x, int decimals = 4) { return std::isfinite(x) ? format_fixed(x, decimals) : "undefined"; }

std::string interval(const MetricComparison& c) {
  return value(c.t_test.mean_difference) + " [" + value(c.bootstrap.low) + ", " + value(c.bootstrap.high) + "]";
}

// analysis-<family><suffix>.png, the family's name with anything but letters and digits as '_':
// the forest plot (no suffix), each condition's metric (-metric), the fusion weights (-weights).
std::string plot_file(const std::string& family, const std::string& suffix = "") {
  std::string file = family;
  std::replace_if(file.begin(), file.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return "analysis-" + file + suffix + ".png";
}

// The modalities the reference has fusion weights for in a family's slices (sorted).
std::vector<std::string> weighted_modalities(const SliceAnalysis& a, const std::string& family) {
  std::set<std::string> modalities;
  for (const auto& r : a.slices)
    if (r.slice.family == family && r.conditions.count(a.reference))
      for (const auto& [m, w] : r.conditions.at(a.reference).weights) modalities.insert(m);
  return {modalities.begin(), modalities.end()};
}

// The slice families, in the order of their slices.
std::vector<std::string> family_names(const SliceAnalysis& a) {
  std::vector<std::string> names;
  for (const auto& r : a.slices)
    if (std::find(names.begin(), names.end(), r.slice.family) == names.end()) names.push_back(r.slice.family);
  return names;
}

// Whether the reference is better than the baseline by `difference` (reference - baseline).
double gain(const std::string& metric, double difference) { return lower_is_better(metric) ? -difference : difference; }

}  // namespace

double interaction_statistic(const std::map<int64_t, RunPredictions>& reference,
                             const std::map<int64_t, RunPredictions>& baseline, const std::string& task,
                             const std::vector<Indices>& slices) {
  const auto seeds = paired_seeds(reference, baseline);
  std::vector<std::pair<double, double>> d;  // (n_k, d_k)
  for (const auto& rows : slices) {
    if (rows.empty()) continue;
    const double dk = mean_difference(reference, baseline, task, seeds, rows);
    if (std::isfinite(dk)) d.emplace_back(static_cast<double>(rows.size()), dk);
  }
  if (d.size() < 2) return std::nan("");
  double n = 0, mean = 0;
  for (const auto& [nk, dk] : d) n += nk, mean += nk * dk;
  mean /= n;
  double t = 0;
  for (const auto& [nk, dk] : d) t += nk * (dk - mean) * (dk - mean);
  return t;
}

InteractionTest interaction_test(const std::string& family, const std::map<int64_t, RunPredictions>& reference,
                                 const std::map<int64_t, RunPredictions>& baseline, const std::string& task,
                                 const std::vector<Indices>& slices, int64_t permutations) {
  InteractionTest test{family, interaction_statistic(reference, baseline, task, slices), std::nan(""), permutations};
  if (!std::isfinite(test.statistic) || permutations <= 0) return test;
  Indices pooled;
  std::vector<size_t> sizes;
  for (const auto& rows : slices)
    if (!rows.empty()) pooled.insert(pooled.end(), rows.begin(), rows.end()), sizes.push_back(rows.size());
  std::mt19937_64 rng(20250926);  // fixed: the same p on every run
  int64_t at_least = 0;
  std::vector<Indices> shuffled(sizes.size());
  for (int64_t p = 0; p < permutations; ++p) {
    std::shuffle(pooled.begin(), pooled.end(), rng);
    size_t start = 0;
    for (size_t k = 0; k < sizes.size(); ++k) {
      shuffled[k].assign(pooled.begin() + static_cast<std::ptrdiff_t>(start),
                         pooled.begin() + static_cast<std::ptrdiff_t>(start + sizes[k]));
      start += sizes[k];
    }
    // A relative tolerance, so that ties with the observed statistic count as at least as large.
    at_least += interaction_statistic(reference, baseline, task, shuffled) >= test.statistic * (1 - 1e-12);
  }
  test.p = static_cast<double>(1 + at_least) / static_cast<double>(1 + permutations);
  return test;
}

SliceAnalysis analyse_slices(const SliceSettings& settings, const SliceData& data,
                             const std::vector<std::string>& conditions, const std::string& reference,
                             const std::string& baseline, int64_t bootstrap) {
  SliceAnalysis out{primary_metric(data.task), reference, baseline, bootstrap, {}, {}, conditions};
  const auto& ref = runs(data, reference);
  const auto& base = runs(data, baseline);
  std::map<std::string, std::vector<Indices>> families;
  std::vector<std::string> family_order;
  for (auto& slice : make_slices(settings, data)) {
    SliceResult r;
    r.slice = std::move(slice);
    for (const auto& condition : conditions) {
      std::vector<double> per_seed;
      std::map<std::string, double> weight_sums;
      for (const auto& [seed, run] : runs(data, condition)) {
        per_seed.push_back(run_metric(out.metric, data.task, run, r.slice.rows));
        for (const auto& [modality, w] : run.weights)
          for (size_t i : r.slice.rows) weight_sums[modality] += w[i];
      }
      SliceConditionResult c{mean_std(per_seed), {}};
      if (per_seed.empty()) continue;
      const double count = static_cast<double>(per_seed.size() * r.slice.rows.size());
      for (const auto& [modality, sum] : weight_sums) c.weights[modality] = count > 0 ? sum / count : std::nan("");
      r.conditions[condition] = c;
    }
    if (!ref.empty() && !base.empty() && !r.slice.rows.empty()) {
      const auto comparison = compare_conditions(ref, base, data.task, bootstrap, &r.slice.rows, true);
      if (!comparison.empty()) r.compared = true, r.comparison = comparison.front();
    }
    if (!families.count(r.slice.family)) family_order.push_back(r.slice.family);
    families[r.slice.family].push_back(r.slice.rows);
    out.slices.push_back(std::move(r));
  }
  if (!ref.empty() && !base.empty())
    for (const auto& family : family_order)
      out.tests.push_back(
          interaction_test(family, ref, base, data.task, families.at(family), settings.permutations));
  return out;
}

std::string analysis_csv(const SliceAnalysis& a) {
  std::set<std::string> modalities;
  for (const auto& r : a.slices)
    for (const auto& [condition, c] : r.conditions)
      for (const auto& [m, w] : c.weights) modalities.insert(m);
  std::string csv = "family,slice,n,condition,metric,mean,std,seeds,difference,difference_low,difference_high";
  for (const auto& m : modalities) csv += ",weight_" + m;
  csv += "\n";
  auto number = [](double x) { return std::isfinite(x) ? format_number(x) : std::string(); };
  for (const auto& r : a.slices)
    for (const auto& condition : a.conditions) {
      const auto it = r.conditions.find(condition);
      if (it == r.conditions.end()) continue;
      const bool reference = condition == a.reference && r.compared;
      csv += csv_field(r.slice.family) + "," + csv_field(r.slice.name) + "," + std::to_string(r.slice.rows.size()) +
             "," + csv_field(condition) + "," + a.metric + "," + number(it->second.metric.mean) + "," +
             number(it->second.metric.std) + "," + std::to_string(it->second.metric.n) + "," +
             (reference ? number(r.comparison.t_test.mean_difference) + "," + number(r.comparison.bootstrap.low) +
                              "," + number(r.comparison.bootstrap.high)
                        : ",,");
      for (const auto& m : modalities) {
        const auto w = it->second.weights.find(m);
        csv += "," + (w == it->second.weights.end() ? std::string() : number(w->second));
      }
      csv += "\n";
    }
  return csv;
}

std::string analysis_markdown(const SliceAnalysis& a, const std::string& plots_dir) {
  const bool paired = !a.baseline.empty();
  const std::string better = lower_is_better(a.metric) ? "negative" : "positive";
  std::string md;
  if (paired)
    md = "\n## Where " + a.reference + " beats " + a.baseline + ": slice analysis (" + a.scope + ")\n\n" + a.metric +
         " within each slice, mean ± std over seeds (undefined: the slice cannot define it). Difference = " +
         a.reference + " - " + a.baseline + " (" + better + ": " + a.reference +
         " better), mean over seeds, with a paired bootstrap 95% CI over the slice's utterances (" +
         std::to_string(a.bootstrap) + " resamples). Weights: " + a.reference +
         "'s mean fusion weight per modality. Interaction: a permutation test of the slice labels (does the "
         "difference depend on the slice?). Every condition and weight: analysis.csv; the utterances where " +
         a.reference + " gains most and least: top_utterances.csv.\n";
  else
    md = "\n## Slice analysis\n\n" + a.metric +
         " within each slice (undefined: the slice cannot define it) and the mean fusion weight per modality; "
         "every value: analysis.csv. Comparing conditions within slices, with paired CIs and an interaction "
         "test, is daf-ablate's analysis.\n";
  // The slice with the largest gain, over all families.
  const SliceResult* best = nullptr;
  for (const auto& r : a.slices)
    if (r.compared && std::isfinite(r.comparison.t_test.mean_difference) &&
        (!best || gain(a.metric, r.comparison.t_test.mean_difference) >
                      gain(a.metric, best->comparison.t_test.mean_difference)))
      best = &r;
  if (best)
    // A column's slices are named "speaker = spk01" already.
    md += "\nLargest gain of " + a.reference + " over " + a.baseline + ": " +
          (best->slice.name.rfind(best->slice.family + " = ", 0) == 0
               ? best->slice.name
               : best->slice.family + " = '" + best->slice.name + "'") +
          " (n = " + std::to_string(best->slice.rows.size()) + ", difference " +
          interval(best->comparison) + ").\n";
  for (const auto& family : family_names(a)) {
    std::vector<std::string> header = {"slice", "n"};
    header.insert(header.end(), a.conditions.begin(), a.conditions.end());
    if (paired) header.push_back(a.reference + " - " + a.baseline + " [95% CI]");
    const auto modalities = weighted_modalities(a, family);
    if (!modalities.empty()) header.push_back(a.reference + " weights (" + join(modalities, " / ") + ")");
    MarkdownTable table(header);
    const SliceResult* top = nullptr;
    for (const auto& r : a.slices) {
      if (r.slice.family != family) continue;
      std::vector<std::string> row = {r.slice.name, std::to_string(r.slice.rows.size())};
      for (const auto& condition : a.conditions) {
        const auto it = r.conditions.find(condition);
        const bool defined = it != r.conditions.end() && std::isfinite(it->second.metric.mean);
        row.push_back(!defined ? "undefined"
                      : paired ? value(it->second.metric.mean) + " ± " + value(it->second.metric.std)
                               : value(it->second.metric.mean));
      }
      if (paired) row.push_back(r.compared ? interval(r.comparison) : "undefined (no utterances)");
      if (!modalities.empty()) {
        std::vector<std::string> weights;
        for (const auto& m : modalities)
          weights.push_back(r.conditions.count(a.reference) && r.conditions.at(a.reference).weights.count(m)
                                ? value(r.conditions.at(a.reference).weights.at(m), 3)
                                : "-");
        row.push_back(join(weights, " / "));
      }
      table.add_row(row);
      if (r.compared && std::isfinite(r.comparison.t_test.mean_difference) &&
          (!top || gain(a.metric, r.comparison.t_test.mean_difference) >
                       gain(a.metric, top->comparison.t_test.mean_difference)))
        top = &r;
    }
    md += "\n### " + family + "\n\n" + table.str();
    if (!plots_dir.empty()) {
      if (paired)
        md += "\n![" + family + ": difference per slice](" + plots_dir + "/" + plot_file(family) + ")\n";
      md += std::string(paired ? "" : "\n") + "![" + family + ": " + a.metric + " per slice](" + plots_dir + "/" +
            plot_file(family, "-metric") + ")\n";
      if (!modalities.empty())
        md += "![" + family + ": " + a.reference + "'s fusion weights per slice](" + plots_dir + "/" +
              plot_file(family, "-weights") + ")\n";
    }
    const InteractionTest* test = nullptr;
    for (const auto& t : a.tests)
      if (t.family == family) test = &t;
    if (!test) continue;
    if (!std::isfinite(test->p) || !top) {
      md += "\nInteraction: not tested (fewer than two slices with utterances).\n";
      continue;
    }
    md += "\n" + a.reference + " gains most on '" + top->slice.name + "' (" + interval(top->comparison) +
          "). Interaction: permutation p = " + format_fixed(test->p, 4) + " (" + std::to_string(test->permutations) +
          " permutations): " +
          (test->p < 0.05 ? "the data support that the gain depends on the slice (p < 0.05)."
                          : "the data do not show that the gain depends on the slice (p >= 0.05).") +
          "\n";
  }
  return md;
}

std::string top_utterances_csv(const SliceData& data, const std::vector<std::string>& conditions,
                               const std::string& reference, const std::string& baseline, int64_t top,
                               const std::vector<std::string>& transcripts) {
  const auto& ref = runs(data, reference);
  const auto& base = runs(data, baseline);
  const auto seeds = paired_seeds(ref, base);
  if (seeds.empty() || top <= 0) return "";
  const RunPredictions& first = ref.at(seeds.front());
  const size_t n = first.ids.size(), width = first.width;
  // Per utterance: how much better the reference is, averaged over seeds (regression: the
  // baseline's absolute error minus the reference's; class tasks: the share of labels right).
  auto score = [&](const RunPredictions& run, size_t i) {
    if (data.task == "regression") return -std::fabs(static_cast<double>(run.prediction[i]) - run.truth[i]);
    double right = 0;
    for (size_t l = 0; l < width; ++l) right += run.prediction[i * width + l] == run.truth[i * width + l];
    return right / static_cast<double>(width);
  };
  std::vector<double> gains(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (int64_t seed : seeds) gains[i] += score(ref.at(seed), i) - score(base.at(seed), i);
    gains[i] /= static_cast<double>(seeds.size());
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return gains[a] > gains[b]; });
  std::string csv = "group,id,label";
  for (const auto& c : conditions) csv += "," + csv_field(c);
  csv += ",gain";
  for (const auto& [m, w] : first.weights) csv += ",weight_" + m;
  if (!transcripts.empty()) csv += ",transcript";
  csv += "\n";
  auto row = [&](const std::string& group, size_t i) {
    std::string labels;
    for (size_t l = 0; l < width; ++l) labels += (l ? " " : "") + format_number(first.truth[i * width + l]);
    std::string line = group + "," + csv_field(first.ids[i]) + "," + csv_field(labels);
    for (const auto& c : conditions) {  // regression: the mean over seeds; classes: the seeds' majority
      const auto& rs = runs(data, c);
      std::map<float, size_t> votes;
      double sum = 0;
      for (const auto& [seed, run] : rs) sum += run.prediction[i * run.width], ++votes[run.prediction[i * run.width]];
      const double shown = data.task == "regression"
                               ? sum / static_cast<double>(rs.size())
                               : std::max_element(votes.begin(), votes.end(), [](const auto& x, const auto& y) {
                                   return x.second < y.second;
                                 })->first;
      line += "," + (rs.empty() || width > 1 ? std::string() : format_number(shown));
    }
    line += "," + format_number(gains[i]);
    for (const auto& [m, w] : first.weights) {
      double sum = 0;
      for (int64_t seed : seeds) sum += ref.at(seed).weights.at(m)[i];
      line += "," + format_number(sum / static_cast<double>(seeds.size()));
    }
    if (!transcripts.empty()) line += "," + csv_field(transcripts[i]);
    return line + "\n";
  };
  const size_t k = std::min<size_t>(static_cast<size_t>(top), n);
  for (size_t j = 0; j < k; ++j) csv += row("most", order[j]);
  for (size_t j = 0; j < k; ++j) csv += row("least", order[n - 1 - j]);
  return csv;
}

std::vector<std::string> plot_slice_analysis(const SliceAnalysis& a, const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& family : family_names(a)) {
    std::vector<ForestRow> rows;
    std::vector<BarCluster> metric, weights;
    const auto modalities = weighted_modalities(a, family);
    for (const auto& r : a.slices) {
      if (r.slice.family != family) continue;
      const std::string label = r.slice.name + " (n " + std::to_string(r.slice.rows.size()) + ")";
      rows.push_back({label, r.compared ? r.comparison.t_test.mean_difference : std::nan(""),
                      r.compared ? r.comparison.bootstrap.low : std::nan(""),
                      r.compared ? r.comparison.bootstrap.high : std::nan("")});
      BarCluster m{label, {}, {}}, w{label, {}, {}};
      for (const auto& condition : a.conditions) {
        const auto it = r.conditions.find(condition);
        m.mean.push_back(it == r.conditions.end() ? std::nan("") : it->second.metric.mean);
        m.std.push_back(it == r.conditions.end() ? std::nan("") : it->second.metric.std);
      }
      for (const auto& modality : modalities) {
        const auto it = r.conditions.find(a.reference);
        w.mean.push_back(it != r.conditions.end() && it->second.weights.count(modality) ? it->second.weights.at(modality)
                                                                                         : std::nan(""));
      }
      metric.push_back(std::move(m));
      weights.push_back(std::move(w));
    }
    if (!a.baseline.empty()) {
      plot_forest(dir + "/" + plot_file(family), a.reference + " - " + a.baseline + " per slice: " + family,
                  a.metric + " difference (95% bootstrap CI)", rows);
      files.push_back(plot_file(family));
    }
    plot_clustered_bars(dir + "/" + plot_file(family, "-metric"), a.metric + " per slice: " + family,
                        a.metric + (a.baseline.empty() ? "" : " (mean ± std over seeds)"), a.conditions, metric);
    files.push_back(plot_file(family, "-metric"));
    if (!modalities.empty()) {
      plot_stacked_bars(dir + "/" + plot_file(family, "-weights"),
                        a.reference + "'s fusion weights per slice: " + family, "mean fusion weight", modalities,
                        weights);
      files.push_back(plot_file(family, "-weights"));
    }
  }
  return files;
}

}  // namespace daf
