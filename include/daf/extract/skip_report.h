#pragma once
// extract.on_error: a bad utterance either stops the run (fail) or is recorded
// here and left out (skip); the records become the skipped-utterances report.
#include <string>
#include <vector>

namespace daf {

struct SkippedUtterance {
  std::string id;
  std::string modality;  // "" for a manifest row that was dropped entirely
  std::string reason;
};

class SkipReport {
 public:
  explicit SkipReport(bool skip) : skip_(skip) {}
  // fail: throws InputError(reason); skip: records it.
  void handle(const std::string& id, const std::string& modality, const std::string& reason);
  // fail: throws InputError(reason); skip: returns (the caller records the skip itself).
  void check(const std::string& reason) const;
  void add(SkippedUtterance entry) { entries_.push_back(std::move(entry)); }
  bool skipping() const { return skip_; }
  const std::vector<SkippedUtterance>& entries() const { return entries_; }
  // CSV id,modality,reason (atomically) when something was skipped; with nothing skipped no
  // file is written (and an earlier run's list at `path` is removed).
  void write(const std::string& path) const;

 private:
  bool skip_;
  std::vector<SkippedUtterance> entries_;
};

}  // namespace daf
