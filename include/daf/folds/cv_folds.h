#pragma once
// The folds of one cross-validation (a config's cv section over its cache):
// each fold's train / valid / test parts by utterance id, checked for leakage,
// and the files that record them in an output folder: folds.yaml (which groups
// are in each fold, to cite the split) and folds/fold-<f>.csv, the split file
// (data/split_file.h) each of the fold's runs trains on.
#include <cstdint>
#include <string>
#include <vector>

#include "daf/config/config.h"

namespace daf {

struct CvFolds {
  std::vector<std::string> pool;                // cv.pool: the cache splits pooled
  std::vector<std::string> ids;                 // the pooled rows: cv.pool's splits, in order
  std::vector<std::vector<std::string>> parts;  // per fold: "train", "valid", "test" or "" (unused), per row
  std::string summary_yaml;                     // folds.yaml

  int64_t count() const { return static_cast<int64_t>(parts.size()); }
};

// Reads the cache's ids, labels and meta columns and assigns the folds
// (folds/folds.h), then carves out each fold's validation part. InputError,
// before anything trains, for a cv.by or cv.valid.by column the cache lacks
// (listing those it has), fewer groups than folds, an id in two pooled splits,
// a group in two parts of a fold, or a class with no training utterance in a
// fold; a class missing from a fold's validation part is a warning.
CvFolds make_cv_folds(const Config& config);

// DIR/folds/fold-<f>.csv, f = 1..k.
std::string fold_split_file(const std::string& dir, int64_t fold);

// Writes DIR/folds.yaml and the split files. Split files that exist already (a resumed
// or sharded sweep) must be identical: InputError otherwise, since runs already trained
// on the old folds would be mixed with new ones.
void write_cv_folds(const std::string& dir, const CvFolds& folds);

}  // namespace daf
