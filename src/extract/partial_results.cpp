#include "daf/extract/partial_results.h"

#include <filesystem>

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "data/hdf5_file.h"

namespace daf {

void ModalityResults::add(const std::string& id, const float* vector, int64_t width) {
  if (dims == 0) dims = width;
  ids.push_back(id);
  values.insert(values.end(), vector, vector + width);
}

std::unordered_set<std::string> PartialResults::finished_ids(const std::string& modality) const {
  std::unordered_set<std::string> ids;
  const auto it = modalities.find(modality);
  if (it == modalities.end()) return ids;
  ids.insert(it->second.ids.begin(), it->second.ids.end());
  for (const auto& skipped : it->second.skipped) ids.insert(skipped.id);
  return ids;
}

std::string partial_path(const std::string& output) { return output + ".partial"; }

bool read_partial(const std::string& path, PartialResults& results) {
  if (!std::filesystem::exists(path)) return false;
  auto file = hdf5::File::open_read(path);
  results = PartialResults{};
  for (const auto& [key, value] : file.read_string_attributes("/"))
    if (key == "daf_extract_job") results.job = value;
  for (const auto& modality : file.children("/")) {
    const std::string group = "/" + modality;
    ModalityResults& m = results.modalities[modality];
    if (file.has(group + "/features")) {
      auto features = file.read_floats(group + "/features");
      if (features.shape.size() != 2) throw InputError(path + ": " + group + "/features: expected [rows, dims]");
      m.dims = features.shape[1];
      m.values = std::move(features.values);
      m.ids = file.read_strings(group + "/ids");
      if (static_cast<int64_t>(m.ids.size()) != features.shape[0])
        throw InputError(path + ": " + group + ": ids and features disagree; delete the file to start over");
    }
    if (file.has(group + "/skipped_ids")) {
      const auto ids = file.read_strings(group + "/skipped_ids");
      const auto reasons = file.read_strings(group + "/skipped_reasons");
      for (size_t i = 0; i < ids.size() && i < reasons.size(); ++i) m.skipped.push_back({ids[i], modality, reasons[i]});
    }
  }
  return true;
}

void write_partial(const std::string& path, const PartialResults& results) {
  AtomicOutput output(path);
  auto file = hdf5::File::create(output.temp_path(), path);
  file.write_string_attribute("/", "daf_extract_job", results.job);
  for (const auto& [modality, m] : results.modalities) {
    const std::string group = "/" + modality;
    file.create_group(group);
    if (!m.ids.empty()) {
      file.write_strings(group + "/ids", m.ids);
      file.write_floats(group + "/features", {m.size(), m.dims}, m.values.data());
    }
    if (!m.skipped.empty()) {
      std::vector<std::string> ids, reasons;
      for (const auto& s : m.skipped) ids.push_back(s.id), reasons.push_back(s.reason);
      file.write_strings(group + "/skipped_ids", ids);
      file.write_strings(group + "/skipped_reasons", reasons);
    }
  }
  file.close();
  output.commit();
}

}  // namespace daf
