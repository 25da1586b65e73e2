#pragma once
// A folds file: which videos form each split, {train: [video ids], valid:
// [...], test: [...]} in YAML or JSON (configs/folds/ holds the SDK's
// standard folds). Read by daf-import, and by its synthetic writer to name
// videos as a real folds file does.
#include <map>
#include <string>
#include <vector>

namespace daf {

// Split name -> video ids in file order. Every split must be present (an empty
// list is an empty split); a video in two folds, a non-string id or all folds
// empty is an InputError naming the file (and line where there is one).
std::map<std::string, std::vector<std::string>> read_video_folds(const std::string& path);

}  // namespace daf
