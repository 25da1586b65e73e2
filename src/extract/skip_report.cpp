#include "daf/extract/skip_report.h"

#include <filesystem>

#include "daf/util/atomic_file.h"
#include "daf/util/csv.h"
#include "daf/util/error.h"

namespace daf {

void SkipReport::check(const std::string& reason) const {
  if (!skip_) throw InputError(reason + " (set extract.on_error=skip to skip such utterances)");
}

void SkipReport::handle(const std::string& id, const std::string& modality, const std::string& reason) {
  check(reason);
  entries_.push_back({id, modality, reason});
}

void SkipReport::write(const std::string& path) const {
  if (entries_.empty()) {
    std::filesystem::remove(path);  // an earlier run's list would describe another run
    return;
  }
  std::string text = "id,modality,reason\n";
  for (const auto& e : entries_) text += csv_field(e.id) + "," + csv_field(e.modality) + "," + csv_field(e.reason) + "\n";
  write_file_atomic(path, text);
}

}  // namespace daf
