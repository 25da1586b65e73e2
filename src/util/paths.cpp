#include "daf/util/paths.h"

#include <filesystem>

#include "daf/util/error.h"

namespace daf {

namespace fs = std::filesystem;

std::string file_problem(const std::string& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) return "is a directory, expected a file";
  if (!fs::exists(path, error)) return "file not found";
  return "";  // a file, or something read like one (/dev/stdin, a pipe from <(...))
}

void require_file(const std::string& path, const std::string& label) {
  const std::string problem = file_problem(path);
  if (!problem.empty()) throw InputError((label.empty() ? "" : label + ": ") + path + ": " + problem);
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  if (!fs::exists(a, error) || !fs::exists(b, error)) return false;
  const bool same = fs::equivalent(a, b, error);
  return !error && same;
}

void refuse_output_over_inputs(const std::string& output, const std::vector<std::string>& inputs,
                               const std::string& what) {
  for (const auto& input : inputs)
    if (!input.empty() && same_file(output, input))
      throw InputError(what + " " + output + " is " + (input == output ? "" : input + ", ") +
                       "one of its inputs; write somewhere else");
}

std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end; it.increment(error))
    if (it->is_regular_file(error)) files.push_back(it->path().string());
  return files;
}

}  // namespace daf
