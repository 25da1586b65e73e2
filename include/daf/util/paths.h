#pragma once
// Checks on the paths a tool reads and writes: a directory where a file is
// expected gets its own message, and no tool writes over one of its inputs.
#include <string>
#include <vector>

namespace daf {

// "is a directory, expected a file" or "file not found"; "" for anything that
// reads like a file (a regular file, /dev/stdin, a pipe from <(...)).
std::string file_problem(const std::string& path);

// InputError "<label>: <path>: <file_problem>" unless `path` reads like a file
// (`label` empty: "<path>: ...").
void require_file(const std::string& path, const std::string& label = "");

// Whether `a` and `b` name the same existing file (symbolic and hard links
// resolved); false when either does not exist.
bool same_file(const std::string& a, const std::string& b);

// InputError when `output` names the same file as one of `inputs`:
// "<what> <output> is <input>, one of its inputs; write somewhere else".
void refuse_output_over_inputs(const std::string& output, const std::vector<std::string>& inputs,
                               const std::string& what);

// Every regular file under `dir` (recursively), for refusing to write over a run's files.
std::vector<std::string> files_under(const std::string& dir);

}  // namespace daf
