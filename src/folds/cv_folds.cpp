#include "daf/folds/cv_folds.h"

#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "daf/config/task.h"
#include "daf/data/cache_io.h"
#include "daf/data/split_file.h"
#include "daf/folds/folds.h"
#include "daf/metrics/classification_metrics.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

struct Pool {
  std::vector<std::string> ids;
  std::vector<int64_t> classes;  // class tasks
  std::map<std::string, std::vector<std::string>> meta;
};

std::vector<std::string> meta_column(const Pool& pool, const std::string& column, const std::string& key,
                                     const Config& config) {
  const auto found = pool.meta.find(column);
  if (found != pool.meta.end()) return found->second;
  std::set<std::string> have;
  for (const auto& [name, values] : pool.meta) have.insert(name);
  throw InputError(config.data.cache + ": " + key + " '" + column + "': the pooled splits (" +
                   join(config.cv.pool, ", ") + ") have no meta column of that name; meta columns: " +
                   (have.empty() ? "none (see docs/cache-format.md, meta/)"
                                 : join(std::vector<std::string>(have.begin(), have.end()), ", ")));
}

Pool read_pool(const Config& config) {
  CacheReadOptions options;
  options.modalities = {config.data.modalities.front()};
  options.labels = task_label_columns(config);
  options.splits = config.cv.pool;
  const EmbeddingCache cache = read_cache(config.data.cache, options);
  Pool pool;
  std::map<std::string, std::string> split_of;
  const std::string& task = config.model.task;
  for (const auto& split : config.cv.pool) {
    const SplitData& data = cache.splits.at(split);
    for (size_t i = 0; i < data.ids.size(); ++i) {
      if (!split_of.emplace(data.ids[i], split).second)
        throw InputError(config.data.cache + ": utterance id '" + data.ids[i] + "' is in both the " +
                         split_of[data.ids[i]] + " and the " + split +
                         " split; cross-validation pools the splits and needs ids unique across them");
      pool.ids.push_back(data.ids[i]);
      if (is_class_task(task)) {
        const float value = data.labels.at(config.data.target)[i];
        pool.classes.push_back(task == "multiclass" ? static_cast<int64_t>(value)
                                                    : sentiment_class(value, task_num_outputs(config)));
      }
    }
  }
  // Meta columns every pooled split has.
  for (const auto& [column, values] : cache.splits.at(config.cv.pool.front()).meta) {
    bool everywhere = true;
    for (const auto& split : config.cv.pool) everywhere = everywhere && cache.splits.at(split).meta.count(column);
    if (!everywhere) continue;
    auto& out = pool.meta[column];
    for (const auto& split : config.cv.pool) {
      const auto& part = cache.splits.at(split).meta.at(column);
      out.insert(out.end(), part.begin(), part.end());
    }
  }
  return pool;
}

// "[a, b]" of the distinct groups of the rows in `part` of one fold.
std::vector<std::string> groups_in(const std::vector<std::string>& groups, const std::vector<std::string>& parts,
                                   const std::string& part) {
  std::set<std::string> found;
  for (size_t i = 0; i < parts.size(); ++i)
    if (parts[i] == part) found.insert(groups[i]);
  return {found.begin(), found.end()};
}

// Every class must have training rows in every fold; one missing from a validation or
// test part leaves that part's per-class recall undefined (a warning).
void check_classes(const Config& config, const Pool& pool, const std::vector<std::string>& parts, int64_t fold) {
  if (pool.classes.empty()) return;
  const auto names = task_output_names(config);
  for (const char* part : {"train", "valid", "test"}) {
    std::vector<int64_t> count(names.size(), 0);
    for (size_t i = 0; i < parts.size(); ++i)
      if (parts[i] == part && pool.classes[i] >= 0 && pool.classes[i] < static_cast<int64_t>(names.size()))
        ++count[static_cast<size_t>(pool.classes[i])];
    for (size_t c = 0; c < names.size(); ++c) {
      if (count[c] > 0) continue;
      const std::string what = "fold " + std::to_string(fold + 1) + ": class '" + names[c] + "' has no utterance in the " +
                               part + " part";
      if (std::string(part) == "train")
        throw InputError(config.data.cache + ": " + what + ", so it cannot be learnt; use fewer folds or other groups");
      spdlog::warn("{}: {} (its recall there is undefined)", config.data.cache, what);
    }
  }
}

// Each pooled row's fold: grouped (cv.by) or k-fold over rows.
std::vector<int64_t> assign_folds(const Config& config, const Pool& pool, const std::vector<std::string>& groups) {
  const CvConfig& cv = config.cv;
  try {
    if (!cv.by.empty()) return group_assignment(groups, cv.folds, cv.by);
    const bool stratify = cv.stratify && is_class_task(config.model.task);
    return kfold_assignment(pool.ids.size(), cv.folds, static_cast<uint64_t>(cv.seed),
                            stratify ? pool.classes : std::vector<int64_t>{});
  } catch (const InputError& e) {
    throw InputError(config.data.cache + ": " + e.what());
  }
}

// Fold f's part of every pooled row: its test fold, a validation part carved out of the
// other folds, the rest for training.
std::vector<std::string> fold_parts(const Config& config, const std::vector<int64_t>& fold_of,
                                    const std::vector<std::string>& valid_groups, int64_t f) {
  std::vector<std::string> parts(fold_of.size(), "train");
  std::vector<size_t> candidates;
  for (size_t i = 0; i < fold_of.size(); ++i) {
    if (fold_of[i] == f)
      parts[i] = "test";
    else
      candidates.push_back(i);
  }
  const CvConfig& cv = config.cv;
  try {
    for (size_t i : validation_rows(candidates, valid_groups, cv.valid_fraction,
                                    static_cast<uint64_t>(cv.seed) * 1000003ULL + static_cast<uint64_t>(f), cv.valid_by))
      parts[i] = "valid";
  } catch (const InputError& e) {
    throw InputError(config.data.cache + ": fold " + std::to_string(f + 1) + ": " + e.what());
  }
  return parts;
}

// A fold's test groups stay out of its training folds; validation is carved out of those, so
// train and valid may share a `by` group (IEMOCAP: a held-out speaker of a training session)
// unless validation is carved out by the same column. `valid.by` groups stay in one part.
void check_fold_leakage(const Config& config, const std::vector<std::string>& parts,
                        const std::vector<std::string>& groups, const std::vector<std::string>& valid_groups,
                        int64_t f) {
  const CvConfig& cv = config.cv;
  std::vector<int8_t> codes(parts.size());
  for (size_t i = 0; i < parts.size(); ++i) codes[i] = parts[i] == "train" ? 0 : parts[i] == "valid" ? 1 : 2;
  try {
    if (!groups.empty()) {
      std::vector<int8_t> test_or_not = codes;
      if (cv.valid_by != cv.by)
        for (auto& code : test_or_not) code = code == 1 ? 0 : code;
      check_no_leakage(groups, test_or_not, f, cv.by);
    }
    if (!valid_groups.empty()) check_no_leakage(valid_groups, codes, f, cv.valid_by);
  } catch (const InputError& e) {
    throw InputError(config.data.cache + ": " + e.what() +
                     (groups.empty() || valid_groups.empty()
                          ? ""
                          : "; every '" + cv.valid_by + "' group must lie within one '" + cv.by + "' group"));
  }
}

std::string method_name(const Config& config) {
  const CvConfig& cv = config.cv;
  if (!cv.by.empty()) return cv.folds == 0 ? "leave-one-group-out" : "grouped k-fold";
  return cv.stratify && is_class_task(config.model.task) ? "stratified k-fold" : "k-fold";
}

// folds.yaml: the settings, then per fold the rows and groups of each part.
std::string summary_yaml(const Config& config, const CvFolds& folds, const std::vector<std::string>& groups,
                         const std::vector<std::string>& valid_groups) {
  const CvConfig& cv = config.cv;
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "cache" << YAML::Value
      << std::filesystem::absolute(config.data.cache).lexically_normal().string();
  out << YAML::Key << "by" << YAML::Value << (cv.by.empty() ? YAML::Node() : YAML::Node(cv.by));
  out << YAML::Key << "folds" << YAML::Value << folds.count();
  out << YAML::Key << "method" << YAML::Value << method_name(config);
  out << YAML::Key << "seed" << YAML::Value << cv.seed;
  out << YAML::Key << "pool" << YAML::Value << YAML::Flow << cv.pool;
  out << YAML::Key << "valid" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "by" << YAML::Value
      << (cv.valid_by.empty() ? YAML::Node() : YAML::Node(cv.valid_by)) << YAML::Key << "fraction" << YAML::Value
      << format_number(cv.valid_fraction) << YAML::EndMap;
  out << YAML::Key << "rows" << YAML::Value << folds.ids.size();
  out << YAML::Key << "fold" << YAML::Value << YAML::BeginSeq;
  for (int64_t f = 0; f < folds.count(); ++f) {
    const auto& parts = folds.parts[static_cast<size_t>(f)];
    out << YAML::BeginMap << YAML::Key << "fold" << YAML::Value << f + 1;
    out << YAML::Key << "split_file" << YAML::Value << "folds/fold-" + std::to_string(f + 1) + ".csv";
    for (const char* part : {"test", "valid", "train"}) {
      out << YAML::Key << part << YAML::Value << YAML::Flow << YAML::BeginMap;
      out << YAML::Key << "rows" << YAML::Value << std::count(parts.begin(), parts.end(), std::string(part));
      if (!groups.empty()) out << YAML::Key << cv.by << YAML::Value << groups_in(groups, parts, part);
      if (!valid_groups.empty() && cv.valid_by != cv.by)
        out << YAML::Key << cv.valid_by << YAML::Value << groups_in(valid_groups, parts, part);
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return "# Cross-validation folds (docs/cross-validation.md): each fold's test, valid and train parts.\n" +
         std::string(out.c_str()) + "\n";
}

}  // namespace

CvFolds make_cv_folds(const Config& config) {
  const CvConfig& cv = config.cv;
  const Pool pool = read_pool(config);
  const auto groups = cv.by.empty() ? std::vector<std::string>{} : meta_column(pool, cv.by, "cv.by", config);
  const auto valid_groups =
      cv.valid_by.empty() ? std::vector<std::string>{} : meta_column(pool, cv.valid_by, "cv.valid.by", config);
  const auto fold_of = assign_folds(config, pool, groups);
  const int64_t k = fold_of.empty() ? 0 : *std::max_element(fold_of.begin(), fold_of.end()) + 1;
  CvFolds folds;
  folds.pool = cv.pool;
  folds.ids = pool.ids;
  for (int64_t f = 0; f < k; ++f) {
    auto parts = fold_parts(config, fold_of, valid_groups, f);
    check_fold_leakage(config, parts, groups, valid_groups, f);
    check_classes(config, pool, parts, f);
    folds.parts.push_back(std::move(parts));
  }
  folds.summary_yaml = summary_yaml(config, folds, groups, valid_groups);
  return folds;
}

std::string fold_split_file(const std::string& dir, int64_t fold) {
  return dir + "/folds/fold-" + std::to_string(fold) + ".csv";
}

void write_cv_folds(const std::string& dir, const CvFolds& folds) {
  std::vector<std::pair<std::string, std::string>> files;
  for (int64_t f = 0; f < folds.count(); ++f) {
    std::vector<std::string> ids, parts;
    for (size_t i = 0; i < folds.ids.size(); ++i)
      if (!folds.parts[static_cast<size_t>(f)][i].empty()) {
        ids.push_back(folds.ids[i]);
        parts.push_back(folds.parts[static_cast<size_t>(f)][i]);
      }
    files.push_back({fold_split_file(dir, f + 1), split_file_text(ids, parts)});
  }
  for (const auto& [path, text] : files)
    if (std::filesystem::exists(path) && read_file(path) != text)
      throw InputError(path + ": differs from the folds this config makes now (the cache or the cv section "
                              "changed since the first runs trained); use a new output folder, or delete it "
                              "to train every fold again");
  std::filesystem::create_directories(dir + "/folds");
  for (const auto& [path, text] : files)
    if (!std::filesystem::exists(path)) write_file_atomic(path, text);
  // The summary names the cache's path, which may differ where a resumed sweep runs now;
  // the split files above are what the runs train on.
  write_file_atomic(dir + "/folds.yaml", folds.summary_yaml);
}

}  // namespace daf
