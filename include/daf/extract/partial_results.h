#pragma once
// Embeddings finished so far by an extraction run, saved beside the output as
// <output>.partial (HDF5, written atomically), so a killed run resumes where
// it stopped and the real output appears only when the run is complete.
#include <cstdint>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "daf/extract/skip_report.h"

namespace daf {

struct ModalityResults {
  int64_t dims = 0;
  std::vector<std::string> ids;  // finished utterances, in finishing order
  std::vector<float> values;     // [ids.size(), dims]
  std::vector<SkippedUtterance> skipped;

  void add(const std::string& id, const float* vector, int64_t width);
  int64_t size() const { return static_cast<int64_t>(ids.size()); }
};

struct PartialResults {
  std::string job;  // the run's fingerprint; a partial file from another job is not reused
  std::map<std::string, ModalityResults> modalities;

  // Ids finished or skipped for `modality`.
  std::unordered_set<std::string> finished_ids(const std::string& modality) const;
};

std::string partial_path(const std::string& output);
// Returns false when the file does not exist.
bool read_partial(const std::string& path, PartialResults& results);
void write_partial(const std::string& path, const PartialResults& results);

}  // namespace daf
