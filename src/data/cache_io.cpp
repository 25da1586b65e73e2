#include "daf/data/cache_io.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "daf/util/atomic_file.h"
#include "daf/util/file_lock.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "hdf5_file.h"

namespace daf {
namespace {

std::string describe_value(float v) { return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"); }

// Invariants shared by reading and writing: row counts, unique ids, finite values.
void check_split(const std::string& path, const std::string& split, const SplitData& data) {
  const std::string group = "/" + split;
  const int64_t n = data.size();
  std::unordered_map<std::string, int64_t> first_row;
  for (int64_t i = 0; i < n; ++i) {
    const std::string& id = data.ids[static_cast<size_t>(i)];
    size_t bad = 0;
    if (id.empty()) throw InputError(path + ": " + group + "/ids row " + std::to_string(i) + ": empty id");
    if (!is_valid_utf8(id, &bad))
      throw InputError(path + ": " + group + "/ids row " + std::to_string(i) + ": id is not valid UTF-8 (bad byte at " +
                       "offset " + std::to_string(bad) + ")");
    const auto inserted = first_row.emplace(id, i);
    if (!inserted.second)
      throw InputError(path + ": " + group + "/ids: duplicate id '" + data.ids[static_cast<size_t>(i)] +
                       "' at rows " + std::to_string(inserted.first->second) + " and " + std::to_string(i));
  }
  for (const auto& [name, values] : data.labels) {
    const std::string dataset = group + "/labels/" + name;
    if (static_cast<int64_t>(values.size()) != n)
      throw InputError(path + ": " + dataset + " has " + std::to_string(values.size()) + " rows but " + group +
                       "/ids has " + std::to_string(n));
    for (int64_t i = 0; i < n; ++i)
      if (!std::isfinite(values[static_cast<size_t>(i)]))
        throw InputError(path + ": " + dataset + " row " + std::to_string(i) + " (id '" +
                         data.ids[static_cast<size_t>(i)] + "'): expected a finite label, found " +
                         describe_value(values[static_cast<size_t>(i)]));
  }
  for (const auto& [modality, matrix] : data.features) {
    const std::string dataset = group + "/features/" + modality;
    if (matrix.rows != n)
      throw InputError(path + ": " + dataset + " has " + std::to_string(matrix.rows) + " rows but " + group +
                       "/ids has " + std::to_string(n));
    if (matrix.cols < 1) throw InputError(path + ": " + dataset + ": expected at least one column, found 0");
    for (int64_t i = 0; i < n; ++i) {
      const float* row = matrix.row(i);
      for (int64_t j = 0; j < matrix.cols; ++j)
        if (!std::isfinite(row[j]))
          throw InputError(path + ": " + dataset + " row " + std::to_string(i) + " (id '" +
                           data.ids[static_cast<size_t>(i)] + "') column " + std::to_string(j) +
                           ": non-finite value " + describe_value(row[j]) +
                           " (set data.nonfinite: zero to replace non-finite features by 0)");
    }
  }
  if (!data.transcripts.empty() && static_cast<int64_t>(data.transcripts.size()) != n)
    throw InputError(path + ": " + group + "/transcripts has " + std::to_string(data.transcripts.size()) +
                     " rows but " + group + "/ids has " + std::to_string(n));
  for (const auto& [column, values] : data.meta) {
    const std::string dataset = group + "/meta/" + column;
    if (column.empty() || column.find('/') != std::string::npos)
      throw InputError(path + ": " + group + "/meta: column name '" + column +
                       "' is not usable (expected a non-empty name without '/')");
    if (static_cast<int64_t>(values.size()) != n)
      throw InputError(path + ": " + dataset + " has " + std::to_string(values.size()) + " rows but " + group +
                       "/ids has " + std::to_string(n));
    for (int64_t i = 0; i < n; ++i) {
      size_t bad = 0;
      if (!is_valid_utf8(values[static_cast<size_t>(i)], &bad))
        throw InputError(path + ": " + dataset + " row " + std::to_string(i) + " (id '" +
                         data.ids[static_cast<size_t>(i)] + "'): value is not valid UTF-8 (bad byte at offset " +
                         std::to_string(bad) + ")");
    }
  }
  for (const auto& [modality, present] : data.present) {
    const std::string dataset = group + "/present/" + modality;
    if (!data.features.count(modality))
      throw InputError(path + ": " + dataset + ": no features/" + modality + " for this mask");
    if (static_cast<int64_t>(present.size()) != n)
      throw InputError(path + ": " + dataset + " has " + std::to_string(present.size()) + " rows but " + group +
                       "/ids has " + std::to_string(n));
    for (int64_t i = 0; i < n; ++i)
      if (present[static_cast<size_t>(i)] > 1)
        throw InputError(path + ": " + dataset + " row " + std::to_string(i) + " (id '" +
                         data.ids[static_cast<size_t>(i)] + "'): expected 0 (missing) or 1 (present), found " +
                         std::to_string(present[static_cast<size_t>(i)]));
  }
}

// Every split must hold the same modalities with the same widths as the
// reference split (train, when it was read).
void check_across_splits(const std::string& path, const EmbeddingCache& cache) {
  if (cache.splits.empty()) return;
  const auto reference_it = cache.splits.count("train") ? cache.splits.find("train") : cache.splits.begin();
  const std::string& reference_name = reference_it->first;
  const SplitData& reference = reference_it->second;
  for (const auto& [split, data] : cache.splits) {
    if (split == reference_name) continue;
    for (const auto& [modality, matrix] : reference.features) {
      const auto it = data.features.find(modality);
      if (it == data.features.end())
        throw InputError(path + ": /" + split + "/features/" + modality + " is missing but /" + reference_name +
                         "/features/" + modality + " exists");
      if (it->second.cols != matrix.cols)
        throw InputError(path + ": /" + split + "/features/" + modality + " has " + std::to_string(it->second.cols) +
                         " columns but /" + reference_name + "/features/" + modality + " has " +
                         std::to_string(matrix.cols));
    }
    for (const auto& [modality, matrix] : data.features)
      if (!reference.features.count(modality))
        throw InputError(path + ": /" + reference_name + "/features/" + modality + " is missing but /" + split +
                         "/features/" + modality + " exists");
  }
}

int64_t replace_nonfinite(FeatureMatrix& matrix) {
  int64_t replaced = 0;
  for (float& v : matrix.values)
    if (!std::isfinite(v)) {
      v = 0.0f;
      ++replaced;
    }
  return replaced;
}

std::vector<std::string> select(const std::vector<std::string>& available, const std::vector<std::string>& wanted,
                                const std::string& path, const std::string& group, const std::string& what) {
  if (wanted.empty()) return available;
  for (const auto& name : wanted)
    if (!contains(available, name))
      throw InputError(path + ": " + group + " has no " + what + " '" + name + "'" + did_you_mean(name, available) +
                       " (has: " + join(available, ", ") + ")");
  return wanted;
}

void require_group(const hdf5::File& file, const std::string& group) {
  if (!file.is_group(group)) throw InputError(file.path() + ": missing group " + group);
}

void check_format(const hdf5::File& file) {
  int64_t version = 0;
  if (!file.read_int_attribute("/", "daf_format", version))
    throw InputError(file.path() + ": not a daf embedding cache (root attribute 'daf_format' is missing)");
  if (version < kOldestCacheFormatVersion || version > kCacheFormatVersion)
    throw InputError(file.path() + ": cache format version " + std::to_string(version) + " is not supported (expected " +
                     std::to_string(kOldestCacheFormatVersion) + " to " + std::to_string(kCacheFormatVersion) +
                     (version > kCacheFormatVersion ? "; written by a newer daf" : "") + ")");
}

// A meta column as text: strings as they are, integers as their decimal text.
std::vector<std::string> read_meta_column(const hdf5::File& file, const std::string& dataset) {
  if (file.is_string_dataset(dataset)) return file.read_strings(dataset);
  const auto array = file.read_doubles(dataset);
  if (array.shape.size() != 1)
    throw InputError(file.path() + ": " + dataset + ": expected a 1-D dataset of strings or integers, found rank " +
                     std::to_string(array.shape.size()));
  std::vector<std::string> values;
  values.reserve(array.values.size());
  for (size_t i = 0; i < array.values.size(); ++i) {
    const double v = array.values[i];
    if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 9.0e15)
      throw InputError(file.path() + ": " + dataset + " row " + std::to_string(i) +
                       ": expected strings or integers, found " + format_number(v));
    values.push_back(std::to_string(static_cast<long long>(v)));
  }
  return values;
}

SplitData read_split(const hdf5::File& file, const std::string& split, const std::vector<std::string>& modalities,
                     const std::vector<std::string>& labels) {
  const std::string group = "/" + split;
  SplitData data;
  data.ids = file.read_strings(group + "/ids");
  if (file.has(group + "/transcripts")) data.transcripts = file.read_strings(group + "/transcripts");
  for (const auto& name : labels) {
    const std::string dataset = group + "/labels/" + name;
    auto array = file.read_floats(dataset);
    if (array.shape.size() != 1)
      throw InputError(file.path() + ": " + dataset + ": expected a 1-D dataset, found rank " +
                       std::to_string(array.shape.size()));
    data.labels[name] = std::move(array.values);
  }
  for (const auto& modality : modalities) {
    const std::string dataset = group + "/features/" + modality;
    auto array = file.read_floats(dataset);
    if (array.shape.size() != 2)
      throw InputError(file.path() + ": " + dataset + ": expected a 2-D dataset [rows, dims], found rank " +
                       std::to_string(array.shape.size()));
    FeatureMatrix matrix;
    matrix.rows = array.shape[0];
    matrix.cols = array.shape[1];
    matrix.values = std::move(array.values);
    data.features[modality] = std::move(matrix);
    const std::string mask = group + "/present/" + modality;
    if (file.has(mask)) {
      auto present = file.read_bytes(mask);
      if (present.shape.size() != 1)
        throw InputError(file.path() + ": " + mask + ": expected a 1-D dataset, found rank " +
                         std::to_string(present.shape.size()));
      data.present[modality] = std::move(present.values);
    }
  }
  if (file.is_group(group + "/meta"))
    for (const auto& column : file.children(group + "/meta")) data.meta[column] = read_meta_column(file, group + "/meta/" + column);
  return data;
}

}  // namespace

const std::vector<std::string>& cache_split_names() {
  static const std::vector<std::string> names = {"train", "valid", "test"};
  return names;
}

CacheContents list_cache_contents(const std::string& path) {
  auto file = hdf5::File::open_read(path);
  check_format(file);
  require_group(file, "/train/features");
  require_group(file, "/train/labels");
  CacheContents contents{file.children("/train/features"), file.children("/train/labels"), {}};
  bool first = true;
  for (const auto& split : cache_split_names()) {
    const std::string group = "/" + split + "/meta";
    const auto columns = file.is_group(group) ? file.children(group) : std::vector<std::string>{};
    if (first) contents.meta = columns;
    first = false;
    contents.meta.erase(std::remove_if(contents.meta.begin(), contents.meta.end(),
                                       [&](const std::string& c) { return !contains(columns, c); }),
                        contents.meta.end());
  }
  return contents;
}

std::map<std::string, std::string> read_cache_attributes(const std::string& path) {
  auto file = hdf5::File::open_read(path);
  check_format(file);
  std::map<std::string, std::string> attributes;
  for (const auto& [key, value] : file.read_string_attributes("/")) attributes[key] = value;
  return attributes;
}

EmbeddingCache read_cache(const std::string& path, const CacheReadOptions& options, CacheReadReport* report) {
  auto file = hdf5::File::open_read(path);
  check_format(file);
  const auto& splits = options.splits.empty() ? cache_split_names() : options.splits;
  EmbeddingCache cache;
  for (const auto& [key, value] : file.read_string_attributes("/")) cache.attributes[key] = value;
  for (const auto& split : splits) {
    const std::string group = "/" + split;
    require_group(file, group);
    require_group(file, group + "/features");
    require_group(file, group + "/labels");
    const auto modalities = select(file.children(group + "/features"), options.modalities, path,
                                   group + "/features", "modality");
    const auto labels = select(file.children(group + "/labels"), options.labels, path, group + "/labels", "label");
    SplitData data = read_split(file, split, modalities, labels);
    if (options.replace_nonfinite)
      for (auto& [modality, matrix] : data.features) {
        const int64_t replaced = replace_nonfinite(matrix);
        if (report) report->nonfinite_replaced[modality] += replaced;
      }
    check_split(path, split, data);
    if (cache.modality_attributes.empty())
      for (const auto& modality : modalities)
        for (const auto& [key, value] : file.read_string_attributes(group + "/features/" + modality))
          cache.modality_attributes[modality][key] = value;
    cache.splits[split] = std::move(data);
  }
  check_across_splits(path, cache);
  return cache;
}

void write_cache(const std::string& path, const EmbeddingCache& cache) {
  for (const auto& [split, data] : cache.splits) check_split(path, split, data);
  check_across_splits(path, cache);

  const auto lock = lock_output_file(path);
  AtomicOutput output(path);
  auto file = hdf5::File::create(output.temp_path(), path);
  file.write_int_attribute("/", "daf_format", kCacheFormatVersion);
  for (const auto& [key, value] : cache.attributes) file.write_string_attribute("/", key, value);
  for (const auto& [split, data] : cache.splits) {
    const std::string group = "/" + split;
    file.create_group(group);
    file.create_group(group + "/labels");
    file.create_group(group + "/features");
    file.write_strings(group + "/ids", data.ids);
    if (!data.transcripts.empty()) file.write_strings(group + "/transcripts", data.transcripts);
    for (const auto& [name, values] : data.labels)
      file.write_floats(group + "/labels/" + name, {static_cast<int64_t>(values.size())}, values.data());
    for (const auto& [modality, matrix] : data.features) {
      const std::string dataset = group + "/features/" + modality;
      file.write_floats(dataset, {matrix.rows, matrix.cols}, matrix.values.data());
      const auto attributes = cache.modality_attributes.find(modality);
      if (attributes != cache.modality_attributes.end())
        for (const auto& [key, value] : attributes->second) file.write_string_attribute(dataset, key, value);
    }
    if (!data.present.empty()) {
      file.create_group(group + "/present");
      for (const auto& [modality, present] : data.present) file.write_bytes(group + "/present/" + modality, present);
    }
    if (!data.meta.empty()) {
      file.create_group(group + "/meta");
      for (const auto& [column, values] : data.meta) file.write_strings(group + "/meta/" + column, values);
    }
  }
  file.close();
  output.commit();
}

void require_rows(const EmbeddingCache& cache, const std::string& path, const std::vector<std::string>& splits) {
  std::vector<std::string> names = splits;
  if (names.empty())
    for (const auto& [split, data] : cache.splits) names.push_back(split);
  for (const auto& split : names) {
    const auto it = cache.splits.find(split);
    if (it == cache.splits.end() || it->second.size() == 0)
      throw InputError(path + ": split '" + split + "' has no rows");
  }
}

}  // namespace daf
