#include "daf/data/split_file.h"

#include <map>

#include "daf/util/csv.h"
#include "daf/util/error.h"

namespace daf {
namespace {

// Appends row `row` of `from` to `to`, filling columns one side lacks: a missing
// present/ entry is "present", a missing meta column or transcript is "".
void append_row(SplitData& to, const SplitData& from, int64_t row) {
  const auto r = static_cast<size_t>(row);
  const size_t before = to.ids.size();
  to.ids.push_back(from.ids[r]);
  for (const auto& [name, values] : from.labels) to.labels[name].push_back(values[r]);
  for (const auto& [modality, matrix] : from.features) {
    FeatureMatrix& out = to.features[modality];
    out.cols = matrix.cols;
    out.values.insert(out.values.end(), matrix.row(row), matrix.row(row) + matrix.cols);
    ++out.rows;
  }
  for (const auto& [modality, mask] : from.present) {
    auto& out = to.present[modality];
    out.resize(before, 1);
    out.push_back(mask[r]);
  }
  for (auto& [modality, mask] : to.present) mask.resize(before + 1, 1);
  if (!from.transcripts.empty() || !to.transcripts.empty()) {
    to.transcripts.resize(before);
    to.transcripts.push_back(from.transcripts.empty() ? "" : from.transcripts[r]);
  }
  for (const auto& [column, values] : from.meta) {
    auto& out = to.meta[column];
    out.resize(before);
    out.push_back(values[r]);
  }
  for (auto& [column, values] : to.meta) values.resize(before + 1);
}

}  // namespace

std::string split_file_text(const std::vector<std::string>& ids, const std::vector<std::string>& parts) {
  std::string text = "id,part\n";
  for (size_t i = 0; i < ids.size(); ++i) text += csv_field(ids[i]) + "," + parts[i] + "\n";
  return text;
}

EmbeddingCache apply_split_file(const EmbeddingCache& cache, const std::string& split_file,
                                const std::string& cache_path) {
  const CsvTable table = read_csv(split_file);
  const size_t id_column = table.column("id", split_file), part_column = table.column("part", split_file);
  std::map<std::string, std::string> part_of;
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const auto& row = table.rows[i];
    const std::string where = split_file + " line " + std::to_string(table.lines[i]);
    const std::string& part = row[part_column];
    if (part != "train" && part != "valid" && part != "test")
      throw InputError(where + ": part '" + part + "': expected train, valid or test");
    if (!part_of.emplace(row[id_column], part).second)
      throw InputError(where + ": id '" + row[id_column] + "' is listed twice");
  }
  EmbeddingCache out;
  out.modality_attributes = cache.modality_attributes;
  out.attributes = cache.attributes;
  for (const auto& split : cache_split_names()) out.splits[split];
  std::map<std::string, std::string> split_of;  // id -> the cache split it was found in
  for (const auto& split : cache_split_names()) {
    const auto found = cache.splits.find(split);
    if (found == cache.splits.end()) continue;
    const SplitData& data = found->second;
    for (int64_t row = 0; row < data.size(); ++row) {
      const std::string& id = data.ids[static_cast<size_t>(row)];
      const auto part = part_of.find(id);
      if (part == part_of.end()) continue;
      if (!split_of.emplace(id, split).second)
        throw InputError(cache_path + ": utterance id '" + id + "' is in both the " + split_of[id] + " and the " +
                         split + " split, so " + split_file + " cannot say which one it means");
      append_row(out.splits[part->second], data, row);
    }
  }
  for (size_t i = 0; i < table.rows.size(); ++i)
    if (!split_of.count(table.rows[i][id_column]))
      throw InputError(split_file + " line " + std::to_string(table.lines[i]) + ": id '" + table.rows[i][id_column] +
                       "' is not in " + cache_path);
  // A part without rows still has every modality and label column (require_rows names it).
  for (auto& [split, data] : out.splits) {
    for (const auto& [name, source] : cache.splits.begin()->second.features)
      if (!data.features.count(name)) data.features[name] = FeatureMatrix(0, source.cols);
    for (const auto& [name, values] : cache.splits.begin()->second.labels) data.labels[name];
  }
  return out;
}

}  // namespace daf
