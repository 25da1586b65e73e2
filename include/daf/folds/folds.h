#pragma once
// Fold assignment for cross-validation (issue 25): which fold each utterance's
// row is tested in. k-fold over rows (optionally stratified by class), grouped
// k-fold and leave-one-group-out over a meta column (session, speaker, video),
// and the check that no group leaks between the parts of a fold.
//
// Definitions (docs/ablation.md, "Cross-validation"):
//   k-fold       rows in a seeded random order, cut into k contiguous chunks,
//                the first n % k one row larger (scikit-learn's KFold with
//                shuffle=True; its random order differs).
//   stratified   each class's rows in a seeded random order, dealt round-robin
//                to the folds, the deal continuing from one class to the next:
//                every fold gets floor or ceil of each class's n / k rows.
//   grouped      groups by size, largest first (ties: by name), each to the
//                fold with the fewest rows so far (ties: the lowest fold), as
//                scikit-learn's GroupKFold; no randomness.
//   leave-one-group-out   k = the number of groups: fold f tests the f-th
//                group in sorted order (IEMOCAP's leave-one-session-out).
#include <cstdint>
#include <string>
#include <vector>

namespace daf {

// The fold (0..folds-1) of each of `rows` rows. `classes` (empty: not stratified) holds
// each row's class. InputError when folds < 2 or folds > rows.
std::vector<int64_t> kfold_assignment(size_t rows, int64_t folds, uint64_t seed,
                                      const std::vector<int64_t>& classes = {});

// The fold of each row by its group; folds = 0: one fold per group (leave-one-group-out).
// InputError naming the column when there are fewer groups than folds, or an empty group name.
std::vector<int64_t> group_assignment(const std::vector<std::string>& groups, int64_t folds,
                                      const std::string& column);

// Which rows of `candidates` (the rows outside a fold's test fold) form its validation
// part. With `groups` (one per row of the pool): whole groups, sorted by name and then put
// in a seeded random order, added until they hold at least fraction x candidates rows;
// InputError naming the column when that would leave no group for training. Without
// `groups`: max(1, round(fraction x candidates)) rows in a seeded random order.
std::vector<size_t> validation_rows(const std::vector<size_t>& candidates, const std::vector<std::string>& groups,
                                    double fraction, uint64_t seed, const std::string& column);

// The groups of each fold, in sorted order: folds.yaml's content.
std::vector<std::vector<std::string>> groups_per_fold(const std::vector<std::string>& groups,
                                                      const std::vector<int64_t>& fold_of, int64_t folds);

// The parts of one fold: each row is in train (0), valid (1) or test (2), or unused (-1).
// InputError "fold F: group 'G' (COLUMN) is in both train and test" for the first group
// found in two parts.
void check_no_leakage(const std::vector<std::string>& groups, const std::vector<int8_t>& part, int64_t fold,
                      const std::string& column);

}  // namespace daf
