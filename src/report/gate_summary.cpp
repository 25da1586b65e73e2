#include "daf/report/gate_summary.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "daf/metrics/regression_metrics.h"
#include "daf/report/json_writer.h"
#include "daf/report/markdown_table.h"
#include "daf/util/strings.h"

namespace daf {
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

GateSummary summarize_gate(const std::vector<std::string>& modalities, const std::vector<float>& weights,
                           const std::vector<float>& truths) {
  const size_t m_count = modalities.size();
  std::vector<Accumulator> overall(m_count);
  std::map<int, std::vector<Accumulator>> buckets;
  for (size_t i = 0; i < truths.size(); ++i) {
    const int bucket = static_cast<int>(round_half_even(std::clamp(truths[i], -3.0f, 3.0f)));
    auto& acc = buckets[bucket];
    acc.resize(m_count);
    for (size_t m = 0; m < m_count; ++m) {
      const double w = weights[i * m_count + m];
      overall[m].add(w);
      acc[m].add(w);
    }
  }
  GateSummary summary;
  summary.modalities = modalities;
  for (const auto& a : overall) summary.overall.push_back(a.stats());
  for (const auto& [bucket, acc] : buckets) {
    summary.buckets.push_back(bucket);
    std::vector<WeightStats> row;
    for (const auto& a : acc) row.push_back(a.stats());
    summary.per_bucket.push_back(row);
  }
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
  json.key("by_sentiment").begin_array();
  for (size_t b = 0; b < summary.buckets.size(); ++b) {
    json.begin_object();
    json.key("sentiment").value(summary.buckets[b]);
    json.key("count").value(summary.per_bucket[b].empty() ? int64_t{0} : summary.per_bucket[b][0].count);
    json.key("weights");
    write_stats(summary.per_bucket[b]);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

std::string gate_markdown(const GateSummary& summary) {
  std::vector<std::string> header = {"sentiment", "n"};
  for (const auto& m : summary.modalities) header.push_back(m + " weight");
  MarkdownTable table(header);
  std::vector<std::string> all = {"all", std::to_string(summary.overall.empty() ? 0 : summary.overall[0].count)};
  for (const auto& s : summary.overall) all.push_back(cell(s));
  table.add_row(all);
  for (size_t b = 0; b < summary.buckets.size(); ++b) {
    std::vector<std::string> row = {std::to_string(summary.buckets[b]), std::to_string(summary.per_bucket[b][0].count)};
    for (const auto& s : summary.per_bucket[b]) row.push_back(cell(s));
    table.add_row(row);
  }
  return table.str();
}

}  // namespace daf
