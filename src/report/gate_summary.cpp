#include "daf/report/gate_summary.h"

#include <algorithm>
#include <cmath>

#include "daf/metrics/regression_metrics.h"
#include "daf/report/json_writer.h"
#include "daf/report/markdown_table.h"
#include "daf/util/strings.h"

namespace daf {

std::string weight_shift_verdict(const MeanStd& clean, const MeanStd& shifted) {
  const double spread = std::max(clean.std, shifted.std);
  if (clean.n < 2 || shifted.n < 2 || std::isnan(spread)) return "one seed: no verdict";
  if (clean.mean - shifted.mean > spread) return "drops";
  if (shifted.mean - clean.mean > spread) return "rises";
  return "within the seed-to-seed spread " + format_fixed(spread, 3);
}
namespace {

struct Accumulator {
  int64_t n = 0;
  double sum = 0, sum_sq = 0;
  void add(double v) {
    ++n;
    sum += v;
    sum_sq += v * v;
  }
  WeightStats stats() const {
    if (n == 0) return {};
    const double mean = sum / n;
    return {n, mean, std::sqrt(std::max(0.0, sum_sq / n - mean * mean))};
  }
};

std::string cell(const WeightStats& s) { return format_fixed(s.mean, 3) + " ± " + format_fixed(s.std, 3); }

}  // namespace

GateSummary summarize_gate_by_group(const std::vector<std::string>& modalities, const std::vector<float>& weights,
                                    const std::vector<std::vector<size_t>>& row_groups,
                                    const std::vector<std::string>& group_names, const std::string& grouping) {
  const size_t m_count = modalities.size();
  std::vector<Accumulator> overall(m_count);
  std::vector<std::vector<Accumulator>> groups(group_names.size(), std::vector<Accumulator>(m_count));
  for (size_t i = 0; i < row_groups.size(); ++i) {
    for (size_t m = 0; m < m_count; ++m) {
      const double w = weights[i * m_count + m];
      overall[m].add(w);
      for (size_t g : row_groups[i]) groups[g][m].add(w);
    }
  }
  GateSummary summary;
  summary.modalities = modalities;
  summary.grouping = grouping;
  for (const auto& a : overall) summary.overall.push_back(a.stats());
  for (size_t g = 0; g < groups.size(); ++g) {
    if (m_count == 0 || groups[g][0].n == 0) continue;
    summary.groups.push_back(group_names[g]);
    std::vector<WeightStats> row;
    for (const auto& a : groups[g]) row.push_back(a.stats());
    summary.per_bucket.push_back(row);
  }
  return summary;
}

GateSummary summarize_gate(const std::vector<std::string>& modalities, const std::vector<float>& weights,
                           const std::vector<float>& truths) {
  std::vector<std::string> names;
  for (int b = -3; b <= 3; ++b) names.push_back(std::to_string(b));
  std::vector<std::vector<size_t>> row_groups;
  for (float truth : truths)
    row_groups.push_back({static_cast<size_t>(round_half_even(std::clamp(truth, -3.0f, 3.0f)) + 3)});
  GateSummary summary = summarize_gate_by_group(modalities, weights, row_groups, names, "sentiment");
  for (const auto& name : summary.groups) summary.buckets.push_back(std::stoi(name));
  return summary;
}

void write_gate_json(JsonWriter& json, const GateSummary& summary) {
  auto write_stats = [&](const std::vector<WeightStats>& stats) {
    json.begin_object();
    for (size_t m = 0; m < summary.modalities.size(); ++m) {
      json.key(summary.modalities[m]).begin_object();
      json.key("mean").value(stats[m].mean).key("std").value(stats[m].std);
      json.end_object();
    }
    json.end_object();
  };
  json.begin_object();
  json.key("overall");
  write_stats(summary.overall);
  json.key("by_" + summary.grouping).begin_array();
  for (size_t b = 0; b < summary.groups.size(); ++b) {
    json.begin_object();
    if (summary.grouping == "sentiment")
      json.key("sentiment").value(summary.buckets[b]);
    else
      json.key(summary.grouping).value(summary.groups[b]);
    json.key("count").value(summary.per_bucket[b].empty() ? int64_t{0} : summary.per_bucket[b][0].count);
    json.key("weights");
    write_stats(summary.per_bucket[b]);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

std::string gate_markdown(const GateSummary& summary) {
  std::vector<std::string> header = {summary.grouping == "label" ? "label present" : summary.grouping, "n"};
  for (const auto& m : summary.modalities) header.push_back(m + " weight");
  MarkdownTable table(header);
  std::vector<std::string> all = {"all", std::to_string(summary.overall.empty() ? 0 : summary.overall[0].count)};
  for (const auto& s : summary.overall) all.push_back(cell(s));
  table.add_row(all);
  for (size_t b = 0; b < summary.groups.size(); ++b) {
    std::vector<std::string> row = {summary.groups[b], std::to_string(summary.per_bucket[b][0].count)};
    for (const auto& s : summary.per_bucket[b]) row.push_back(cell(s));
    table.add_row(row);
  }
  return table.str();
}

}  // namespace daf
