#include "daf/folds/folds.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

#include "daf/util/error.h"

namespace daf {
namespace {

void check_fold_count(int64_t folds, size_t units, const std::string& what) {
  if (folds < 2) throw InputError("cv.folds: expected at least 2 folds, found " + std::to_string(folds));
  if (static_cast<size_t>(folds) > units)
    throw InputError("cv.folds: " + std::to_string(folds) + " folds need at least as many " + what + ", found " +
                     std::to_string(units));
}

// 0..n-1 in a seeded random order: a Fisher-Yates shuffle with its own generator, so the
// order is the same with every standard library (std::shuffle's is not specified).
std::vector<size_t> shuffled(size_t n, std::mt19937_64& rng) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  return order;
}

}  // namespace

std::vector<int64_t> kfold_assignment(size_t rows, int64_t folds, uint64_t seed, const std::vector<int64_t>& classes) {
  check_fold_count(folds, rows, "utterances");
  if (!classes.empty() && classes.size() != rows)
    throw InputError("cv.stratify: " + std::to_string(classes.size()) + " classes for " + std::to_string(rows) +
                     " utterances");
  std::mt19937_64 rng(seed);
  const std::vector<size_t> order = shuffled(rows, rng);
  std::vector<int64_t> fold(rows, 0);
  const auto k = static_cast<size_t>(folds);
  if (classes.empty()) {
    size_t start = 0;
    for (size_t f = 0; f < k; ++f) {
      const size_t size = rows / k + (f < rows % k ? 1 : 0);
      for (size_t i = start; i < start + size; ++i) fold[order[i]] = static_cast<int64_t>(f);
      start += size;
    }
    return fold;
  }
  std::map<int64_t, std::vector<size_t>> by_class;  // each class's rows in the shuffled order
  for (size_t i : order) by_class[classes[i]].push_back(i);
  size_t next = 0;
  for (const auto& [label, members] : by_class)
    for (size_t i : members) fold[i] = static_cast<int64_t>(next++ % k);
  return fold;
}

std::vector<int64_t> group_assignment(const std::vector<std::string>& groups, int64_t folds,
                                      const std::string& column) {
  std::map<std::string, size_t> size;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (groups[i].empty())
      throw InputError("cv.by: meta column '" + column + "' is empty for utterance row " + std::to_string(i) +
                       " (every utterance needs a group)");
    ++size[groups[i]];
  }
  std::map<std::string, int64_t> fold_of;
  if (folds == 0) {  // leave-one-group-out: the map's sorted order
    if (size.size() < 2)
      throw InputError("cv.by: leave-one-group-out needs at least 2 groups, meta column '" + column + "' has " +
                       std::to_string(size.size()));
    for (const auto& [group, n] : size) fold_of[group] = static_cast<int64_t>(fold_of.size());
  } else {
    check_fold_count(folds, size.size(), "groups ('" + column + "' values)");
    std::vector<std::pair<std::string, size_t>> by_size(size.begin(), size.end());
    std::stable_sort(by_size.begin(), by_size.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<size_t> load(static_cast<size_t>(folds), 0);
    for (const auto& [group, n] : by_size) {
      const auto lightest = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
      fold_of[group] = static_cast<int64_t>(lightest);
      load[lightest] += n;
    }
  }
  std::vector<int64_t> fold;
  fold.reserve(groups.size());
  for (const auto& group : groups) fold.push_back(fold_of.at(group));
  return fold;
}

std::vector<std::vector<std::string>> groups_per_fold(const std::vector<std::string>& groups,
                                                      const std::vector<int64_t>& fold_of, int64_t folds) {
  std::vector<std::vector<std::string>> out(static_cast<size_t>(folds));
  for (size_t i = 0; i < groups.size(); ++i) {
    auto& list = out.at(static_cast<size_t>(fold_of[i]));
    if (std::find(list.begin(), list.end(), groups[i]) == list.end()) list.push_back(groups[i]);
  }
  for (auto& list : out) std::sort(list.begin(), list.end());
  return out;
}

void check_no_leakage(const std::vector<std::string>& groups, const std::vector<int8_t>& part, int64_t fold,
                      const std::string& column) {
  static const char* const kParts[] = {"train", "valid", "test"};
  std::map<std::string, int8_t> seen;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (part[i] < 0) continue;
    const auto [it, inserted] = seen.emplace(groups[i], part[i]);
    if (!inserted && it->second != part[i])
      throw InputError("fold " + std::to_string(fold + 1) + ": group '" + groups[i] + "' (" + column +
                       ") is in both " + kParts[std::min(it->second, part[i])] + " and " +
                       kParts[std::max(it->second, part[i])]);
  }
}

std::vector<size_t> validation_rows(const std::vector<size_t>& candidates, const std::vector<std::string>& groups,
                                    double fraction, uint64_t seed, const std::string& column) {
  std::mt19937_64 rng(seed);
  std::vector<size_t> chosen;
  const double wanted = fraction * static_cast<double>(candidates.size());
  if (groups.empty()) {
    const auto count = std::max<size_t>(1, static_cast<size_t>(std::llround(wanted)));
    const auto order = shuffled(candidates.size(), rng);
    for (size_t i = 0; i < count && i < candidates.size(); ++i) chosen.push_back(candidates[order[i]]);
    std::sort(chosen.begin(), chosen.end());
    return chosen;
  }
  std::map<std::string, std::vector<size_t>> members;  // sorted by name, so the order is the seed's alone
  for (size_t row : candidates) members[groups[row]].push_back(row);
  std::vector<const std::vector<size_t>*> by_name;
  for (const auto& [name, rows] : members) by_name.push_back(&rows);
  size_t taken = 0;
  for (size_t i : shuffled(by_name.size(), rng)) {
    if (static_cast<double>(chosen.size()) >= wanted && !chosen.empty()) break;
    chosen.insert(chosen.end(), by_name[i]->begin(), by_name[i]->end());
    ++taken;
  }
  if (taken >= by_name.size())
    throw InputError("cv.valid: the training folds hold " + std::to_string(by_name.size()) + " group(s) of '" +
                     column + "', and validation needs " + std::to_string(taken) +
                     " of them to reach cv.valid.fraction, leaving none for training; lower cv.valid.fraction or "
                     "carve validation out by another column");
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace daf
