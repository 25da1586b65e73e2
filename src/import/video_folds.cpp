#include "daf/import/video_folds.h"

#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <set>

#include "daf/config/yaml_text.h"
#include "daf/data/cache_io.h"
#include "daf/util/error.h"
#include "daf/util/atomic_file.h"

namespace daf {

std::map<std::string, std::vector<std::string>> read_video_folds(const std::string& path) {
  const YAML::Node root = parse_yaml(read_file(path), path);
  if (!root.IsMap()) throw InputError(path + ": expected a map {train: [video ids], valid: [...], test: [...]}");
  std::map<std::string, std::vector<std::string>> folds;
  std::set<std::string> seen;
  for (const auto& split : cache_split_names()) {
    const YAML::Node list = root[split];
    if (!list || !list.IsSequence())
      throw InputError(path + ": expected a list of video ids under '" + split + "'" +
                       (list ? ", found " + std::string(list.IsMap() ? "a map" : "a single value") : ", found none"));
    auto& videos = folds[split];  // an empty fold is an empty split
    for (const auto& id : list) {
      if (!id.IsScalar() || id.Scalar().empty())
        throw InputError(path + ":" + std::to_string(id.Mark().line + 1) + ": fold '" + split +
                         "': expected a video id, found " + (id.IsScalar() ? "an empty string" : "a list or map"));
      const std::string video = id.as<std::string>();
      if (!seen.insert(video).second) throw InputError(path + ": video '" + video + "' is in more than one fold");
      videos.push_back(video);
    }
    if (videos.empty()) spdlog::warn("{}: fold '{}' is empty: the cache's {} split will have no rows", path, split, split);
  }
  if (seen.empty()) throw InputError(path + ": every fold is empty: no video to import");
  return folds;
}

}  // namespace daf
