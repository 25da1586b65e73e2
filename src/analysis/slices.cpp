#include "daf/analysis/slices.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "daf/data/cache_io.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

// One family: slice names in their order, and each utterance's slice.
struct Family {
  std::string name;
  std::vector<std::string> slices;
  std::vector<int64_t> of;  // per utterance, an index into slices
};

const std::map<int64_t, RunPredictions>& runs_of(const SliceData& data, const std::string& condition,
                                                 const std::string& setting) {
  const auto it = data.conditions.find(condition);
  if (it == data.conditions.end() || it->second.empty())
    throw InputError(setting + ": no finished runs of condition '" + condition + "'");
  for (const auto& [seed, run] : it->second)
    if (run.ids != data.ids)
      throw InputError(setting + ": condition '" + condition + "' seed " + std::to_string(seed) +
                       " was scored on other test utterances than the sweep's reference");
  return it->second;
}

// Regression: the seed-averaged prediction. Class tasks: the seeds' majority class (ties: the
// smallest); multilabel: a number per label set (majority per label), for telling sets apart.
std::vector<double> consensus(const std::map<int64_t, RunPredictions>& runs, const std::string& task) {
  const RunPredictions& first = runs.begin()->second;
  const size_t n = first.ids.size();
  std::vector<double> out(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    if (task == "regression") {
      for (const auto& [seed, run] : runs) out[i] += run.prediction[i];
      out[i] /= static_cast<double>(runs.size());
      continue;
    }
    if (first.width > 1) {  // multilabel: the labels most seeds predict present, as bits
      for (size_t l = 0; l < first.width; ++l) {
        size_t votes = 0;
        for (const auto& [seed, run] : runs) votes += run.prediction[i * first.width + l] > 0.5f;
        if (2 * votes > runs.size()) out[i] += std::ldexp(1.0, static_cast<int>(l));
      }
      continue;
    }
    std::map<int64_t, size_t> votes;
    for (const auto& [seed, run] : runs) ++votes[static_cast<int64_t>(run.prediction[i])];
    out[i] = static_cast<double>(std::max_element(votes.begin(), votes.end(), [](const auto& a, const auto& b) {
                                   return a.second < b.second;
                                 })->first);
  }
  return out;
}

// "low (< 0.41)", "middle (0.41 to 0.93)", "high (>= 0.93)" for three bins; q1.. otherwise.
std::vector<std::string> quantile_names(const std::vector<double>& edges, int64_t bins) {
  static const std::map<int64_t, std::vector<std::string>> words = {{2, {"low", "high"}},
                                                                    {3, {"low", "middle", "high"}}};
  std::vector<std::string> names;
  for (int64_t b = 0; b < bins; ++b) {
    const std::string word = words.count(bins) ? words.at(bins)[static_cast<size_t>(b)] : "q" + std::to_string(b + 1);
    const std::string range = b == 0 ? "< " + format_fixed(edges.front(), 3)
                              : b + 1 == bins
                                  ? ">= " + format_fixed(edges.back(), 3)
                                  : format_fixed(edges[static_cast<size_t>(b - 1)], 3) + " to " +
                                        format_fixed(edges[static_cast<size_t>(b)], 3);
    names.push_back(word + " (" + range + ")");
  }
  return names;
}

Family quantile_family(const std::string& name, const std::string& prefix, const std::vector<double>& values,
                       int64_t bins) {
  Family f{name, {}, {}};
  const auto edges = quantile_edges(values, bins);
  for (const auto& slice : quantile_names(edges, bins)) f.slices.push_back(prefix + slice);
  for (double v : values) f.of.push_back(quantile_bin(v, edges));
  return f;
}

std::vector<Family> conflict_families(const SliceSettings& s, const SliceData& data) {
  const std::string setting = "analysis.slices.conflict";
  const auto a = consensus(runs_of(data, s.conflict[0], setting), data.task);
  const auto b = consensus(runs_of(data, s.conflict[1], setting), data.task);
  Family conflict{"conflict", {"agreeing", "conflicting"}, {}};
  std::vector<double> gap;
  for (size_t i = 0; i < a.size(); ++i) {
    const bool opposite = data.task == "regression" ? (a[i] > 0 && b[i] < 0) || (a[i] < 0 && b[i] > 0) : a[i] != b[i];
    conflict.of.push_back(opposite ? 1 : 0);
    gap.push_back(std::fabs(a[i] - b[i]));
  }
  std::vector<Family> out = {conflict};
  if (data.task == "regression" && s.disagreement_bins > 0)
    out.push_back(quantile_family("disagreement", "|" + s.conflict[0] + " - " + s.conflict[1] + "| ", gap,
                                  s.disagreement_bins));
  return out;
}

Family intensity_family(const SliceSettings& s, const SliceData& data) {
  const RunPredictions& run = data.conditions.begin()->second.begin()->second;
  Family f{"intensity", {}, {}};
  if (data.task == "regression") {
    const auto& e = s.intensity_bins;
    for (size_t k = 0; k + 1 < e.size(); ++k)
      f.slices.push_back("|label| [" + format_number(e[k]) + ", " + format_number(e[k + 1]) +
                         (k + 2 == e.size() ? "]" : ")"));
    const auto outside = static_cast<int64_t>(f.slices.size());
    for (float label : run.truth) {
      const int64_t bin = bin_of(std::fabs(label), e);
      f.of.push_back(bin < 0 ? outside : bin);
    }
    if (std::count(f.of.begin(), f.of.end(), outside) > 0)
      f.slices.push_back("|label| outside [" + format_number(e.front()) + ", " + format_number(e.back()) + "]");
    return f;
  }
  if (run.width > 1) throw InputError("analysis.slices.intensity: not defined for a multilabel task");
  for (int64_t k = 0; k < run.classes; ++k)
    f.slices.push_back("class " + (static_cast<size_t>(k) < data.class_names.size()
                                        ? data.class_names[static_cast<size_t>(k)]
                                        : std::to_string(k)));
  for (float label : run.truth) f.of.push_back(static_cast<int64_t>(label));
  return f;
}

Family gate_family(const SliceSettings& s, const SliceData& data) {
  const std::string setting = "analysis.slices.gate_entropy";
  const auto& runs = runs_of(data, s.gate_condition, setting);
  const auto& weights = runs.begin()->second.weights;
  if (weights.size() < 2)
    throw InputError(setting + ": condition '" + s.gate_condition +
                     "' has no fusion weights over two or more modalities (a gated fusion is needed)");
  std::vector<double> entropy;
  for (size_t i = 0; i < data.ids.size(); ++i) {
    std::vector<double> w;
    for (const auto& [modality, values] : weights) {
      double sum = 0;
      for (const auto& [seed, run] : runs) sum += run.weights.at(modality)[i];
      w.push_back(sum / static_cast<double>(runs.size()));
    }
    entropy.push_back(normalized_entropy(w));
  }
  return quantile_family("gate_entropy", "", entropy, s.gate_bins);
}

// The degraded family: what the cache records of absent or corrupted views; without any record,
// every utterance is in "none" (one slice: nothing to compare, which the report says).
Family degraded_family(const SliceData& data) {
  std::set<std::string> modalities;
  for (const auto& [m, mask] : data.present) modalities.insert(m);
  for (const auto& [name, values] : data.columns)
    if (name.rfind("noisy_", 0) == 0) modalities.insert(name.substr(6));
  std::vector<std::string> names(data.ids.size());
  std::set<std::string> seen;
  for (size_t i = 0; i < data.ids.size(); ++i) {
    std::vector<std::string> parts;
    for (const auto& m : modalities) {
      const auto present = data.present.find(m);
      if (present != data.present.end() && present->second[i] == 0) parts.push_back(m + " absent");
      const auto noisy = data.columns.find("noisy_" + m);
      if (noisy != data.columns.end() && noisy->second[i] > 0.5f) parts.push_back(m + " corrupted");
    }
    names[i] = parts.empty() ? "none" : join(parts, " + ");
    seen.insert(names[i]);
  }
  Family f{"degraded", {"none"}, {}};
  for (const auto& name : seen)
    if (name != "none") f.slices.push_back(name);
  for (const auto& name : names)
    f.of.push_back(std::find(f.slices.begin(), f.slices.end(), name) - f.slices.begin());
  return f;
}

// One slice per value (in sorted order); values with fewer than min_size utterances pooled as "other".
template <typename Value, typename Text>
Family value_family(const std::string& column, const std::vector<Value>& values, int64_t min_size, Text text) {
  std::map<Value, int64_t> counts;
  for (const auto& v : values) ++counts[v];
  Family f{column, {}, {}};
  std::map<Value, int64_t> slice_of;
  for (const auto& [v, count] : counts)
    if (count >= min_size) {
      slice_of[v] = static_cast<int64_t>(f.slices.size());
      f.slices.push_back(column + " = " + text(v));
    }
  const auto other = static_cast<int64_t>(f.slices.size());
  if (slice_of.size() < counts.size())
    f.slices.push_back(column + " = other (values with < " + std::to_string(min_size) + " utterances)");
  for (const auto& v : values) f.of.push_back(slice_of.count(v) ? slice_of.at(v) : other);
  return f;
}

// A label column: one slice per value for at most 20 integer values, else tertiles.
// A meta column (text): one slice per value.
Family column_family(const std::string& column, const SliceSettings& s, const SliceData& data) {
  const auto meta = data.meta.find(column);
  const auto it = data.columns.find(column);
  if (it == data.columns.end() && meta == data.meta.end()) {
    std::vector<std::string> names;
    for (const auto& [name, values] : data.columns) names.push_back(name);
    for (const auto& [name, values] : data.meta) names.push_back("meta/" + name);
    throw InputError("analysis.slices.column: the cache's test split has no column '" + column + "' (it has: " +
                     join(names, ", ") + ")");
  }
  if (it == data.columns.end())
    return value_family(column, meta->second, s.min_size,
                        [](const std::string& v) { return v.empty() ? std::string("(none)") : v; });
  const auto& values = it->second;
  std::set<float> distinct;
  bool integers = true;
  for (float v : values) {
    distinct.insert(v);
    integers = integers && std::isfinite(v) && v == std::round(v);
  }
  if (!integers || distinct.size() > 20)
    return quantile_family(column, column + " ", std::vector<double>(values.begin(), values.end()), 3);
  return value_family(column, values, s.min_size, [](float v) { return format_number(v); });
}

Family crossed(const Family& a, const Family& b) {
  Family f{a.name + " × " + b.name, {}, {}};
  for (const auto& x : a.slices)
    for (const auto& y : b.slices) f.slices.push_back(x + " × " + y);
  for (size_t i = 0; i < a.of.size(); ++i)
    f.of.push_back(a.of[i] * static_cast<int64_t>(b.slices.size()) + b.of[i]);
  return f;
}

}  // namespace

bool SliceSettings::enabled() const {
  return !conflict.empty() || intensity || !gate_condition.empty() || degraded || !columns.empty();
}

double normalized_entropy(const std::vector<double>& weights) {
  if (weights.size() < 2) return 0.0;
  double h = 0;
  for (double w : weights)
    if (w > 0) h -= w * std::log(w);
  return h / std::log(static_cast<double>(weights.size()));
}

std::vector<double> quantile_edges(std::vector<double> values, int64_t bins) {
  std::sort(values.begin(), values.end());
  std::vector<double> edges;
  if (values.empty()) return std::vector<double>(static_cast<size_t>(std::max<int64_t>(bins - 1, 0)), 0.0);
  for (int64_t k = 1; k < bins; ++k) {
    const double position = static_cast<double>(k) / static_cast<double>(bins) * static_cast<double>(values.size() - 1);
    const auto low = static_cast<size_t>(std::floor(position));
    const size_t high = std::min(low + 1, values.size() - 1);
    edges.push_back(values[low] + (position - static_cast<double>(low)) * (values[high] - values[low]));
  }
  return edges;
}

int64_t quantile_bin(double x, const std::vector<double>& edges) {
  return std::upper_bound(edges.begin(), edges.end(), x) - edges.begin();
}

int64_t bin_of(double x, const std::vector<double>& edges) {
  if (edges.size() < 2 || !(x >= edges.front()) || x > edges.back()) return -1;
  if (x == edges.back()) return static_cast<int64_t>(edges.size()) - 2;
  return std::upper_bound(edges.begin(), edges.end(), x) - edges.begin() - 1;
}

void read_slice_columns(const std::string& path, const std::vector<std::string>& splits, const std::string& modality,
                        SliceData& data, std::vector<std::string>* transcripts) {
  CacheReadOptions options;
  options.splits = splits;
  options.modalities = {modality};
  options.replace_nonfinite = true;
  const EmbeddingCache cache = read_cache(path, options);
  std::map<std::string, std::pair<const SplitData*, size_t>> row;  // ids are unique across pooled splits
  for (const auto& split : splits) {
    const SplitData& rows = cache.splits.at(split);
    for (size_t i = 0; i < rows.ids.size(); ++i) row.emplace(rows.ids[i], std::make_pair(&rows, i));
  }
  std::vector<std::pair<const SplitData*, size_t>> order;
  for (const auto& id : data.ids) {
    const auto it = row.find(id);
    if (it == row.end())
      throw InputError(path + ": " + join(splits, "/") + " split" + (splits.size() > 1 ? "s have" : " has") +
                       " no utterance '" + id + "', which the predictions were scored on (was the cache replaced "
                       "since?)");
    order.push_back(it->second);
  }
  // Columns of the first split; a row of a split without one: 1 (present) or "" (meta).
  const SplitData& first = cache.splits.at(splits.front());
  for (const auto& [name, values] : first.labels)
    for (const auto& [rows, i] : order) data.columns[name].push_back(rows->labels.at(name)[i]);
  std::set<std::string> present_names, meta_names;
  for (const auto& split : splits) {
    for (const auto& [name, mask] : cache.splits.at(split).present) present_names.insert(name);
    for (const auto& [name, values] : cache.splits.at(split).meta) meta_names.insert(name);
  }
  for (const auto& name : present_names)
    for (const auto& [rows, i] : order) {
      const auto mask = rows->present.find(name);
      data.present[name].push_back(mask == rows->present.end() ? 1 : mask->second[i]);
    }
  for (const auto& name : meta_names)
    for (const auto& [rows, i] : order) {
      const auto values = rows->meta.find(name);
      data.meta[name].push_back(values == rows->meta.end() ? "" : values->second[i]);
    }
  if (transcripts)
    for (const auto& [rows, i] : order) transcripts->push_back(rows->transcripts.empty() ? "" : rows->transcripts[i]);
}

std::vector<Slice> make_slices(const SliceSettings& s, const SliceData& data) {
  if (data.conditions.empty()) return {};
  std::vector<Family> families;
  if (!s.conflict.empty())
    for (auto& f : conflict_families(s, data)) families.push_back(std::move(f));
  if (s.intensity) families.push_back(intensity_family(s, data));
  if (!s.gate_condition.empty()) families.push_back(gate_family(s, data));
  if (s.degraded) families.push_back(degraded_family(data));
  for (const auto& column : s.columns) families.push_back(column_family(column, s, data));
  if (!s.cross.empty()) {
    auto find = [&](const std::string& name) -> const Family& {
      for (const auto& f : families)
        if (f.name == name) return f;
      std::vector<std::string> names;
      for (const auto& f : families) names.push_back(f.name);
      throw InputError("analysis.cross: no slice family '" + name + "' (this analysis has: " + join(names, ", ") + ")");
    };
    families.push_back(crossed(find(s.cross.at(0)), find(s.cross.at(1))));
  }
  std::vector<Slice> out;
  for (const auto& f : families) {
    const size_t first = out.size();
    for (const auto& name : f.slices) out.push_back({f.name, name, {}});
    for (size_t i = 0; i < f.of.size(); ++i) out[first + static_cast<size_t>(f.of[i])].rows.push_back(i);
  }
  return out;
}

}  // namespace daf
