#include "daf/extract/cache_rows.h"

#include "daf/util/error.h"

namespace daf {

std::pair<int64_t, int64_t> shard_range(int64_t rows, int64_t shard, int64_t shard_count) {
  return {(shard - 1) * rows / shard_count, shard * rows / shard_count};
}

SplitData slice_rows(const SplitData& split, int64_t begin, int64_t end) {
  SplitData out;
  out.ids.assign(split.ids.begin() + begin, split.ids.begin() + end);
  if (!split.transcripts.empty())
    out.transcripts.assign(split.transcripts.begin() + begin, split.transcripts.begin() + end);
  for (const auto& [name, values] : split.labels) out.labels[name].assign(values.begin() + begin, values.begin() + end);
  for (const auto& [name, matrix] : split.features) {
    FeatureMatrix part(end - begin, matrix.cols);
    std::copy(matrix.row(begin), matrix.row(begin) + (end - begin) * matrix.cols, part.values.begin());
    out.features[name] = std::move(part);
  }
  for (const auto& [name, mask] : split.present) out.present[name].assign(mask.begin() + begin, mask.begin() + end);
  for (const auto& [name, values] : split.meta) out.meta[name].assign(values.begin() + begin, values.begin() + end);
  return out;
}

void append_rows(SplitData& into, const SplitData& more) {
  const int64_t before = into.size();
  if (before == 0 && into.features.empty() && into.labels.empty()) {
    into = more;
    return;
  }
  for (const auto& [name, matrix] : more.features) {
    const auto it = into.features.find(name);
    if (it == into.features.end() || it->second.cols != matrix.cols)
      throw InputError("cannot append rows: modality '" + name + "' differs");
  }
  if (more.features.size() != into.features.size() || more.labels.size() != into.labels.size())
    throw InputError("cannot append rows: the modalities or labels differ");
  if (into.transcripts.empty() != more.transcripts.empty() && before > 0 && more.size() > 0)
    throw InputError("cannot append rows: transcripts are in one part only");
  if (more.meta.size() != into.meta.size())
    throw InputError("cannot append rows: the meta columns differ");
  for (auto& [name, values] : into.meta) {
    const auto it = more.meta.find(name);
    if (it == more.meta.end()) throw InputError("cannot append rows: meta column '" + name + "' differs");
    values.insert(values.end(), it->second.begin(), it->second.end());
  }

  into.ids.insert(into.ids.end(), more.ids.begin(), more.ids.end());
  into.transcripts.insert(into.transcripts.end(), more.transcripts.begin(), more.transcripts.end());
  for (auto& [name, values] : into.labels) {
    const auto it = more.labels.find(name);
    if (it == more.labels.end()) throw InputError("cannot append rows: label '" + name + "' differs");
    values.insert(values.end(), it->second.begin(), it->second.end());
  }
  for (auto& [name, matrix] : into.features) {
    const FeatureMatrix& other = more.features.at(name);
    matrix.values.insert(matrix.values.end(), other.values.begin(), other.values.end());
    matrix.rows += other.rows;
  }
  // Presence masks: a side without one is all present.
  for (const auto& [name, matrix] : into.features) {
    const bool mine = into.present.count(name) > 0, theirs = more.present.count(name) > 0;
    if (!mine && !theirs) continue;
    auto& mask = into.present[name];
    if (!mine) mask.assign(static_cast<size_t>(before), 1);
    if (theirs) {
      const auto& other = more.present.at(name);
      mask.insert(mask.end(), other.begin(), other.end());
    } else {
      mask.resize(static_cast<size_t>(matrix.rows), 1);
    }
  }
}

}  // namespace daf
