#include "dataset_files.h"

#include <algorithm>

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {

std::vector<std::string> read_lines(const std::string& path) {
  const std::string text = without_bom(read_file(path));
  std::vector<std::string> lines;
  std::string line;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '\n' || ch == '\r') {
      lines.push_back(line);
      line.clear();
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      line += ch;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::vector<std::filesystem::path> sorted_files(const std::filesystem::path& dir, const std::string& extension) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || !entry.is_regular_file()) continue;
    if (name.size() >= extension.size() && name.compare(name.size() - extension.size(), extension.size(), extension) == 0)
      files.push_back(entry.path());
  }
  if (error) throw RuntimeFailure(dir.string() + ": cannot list the folder: " + error.message());
  std::sort(files.begin(), files.end());
  return files;
}

std::string absolute_path(const std::filesystem::path& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

}  // namespace daf
