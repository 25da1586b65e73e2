#pragma once
// Reading a dataset's folders and text files, shared by the dataset readers.
#include <filesystem>
#include <string>
#include <vector>

namespace daf {

// The lines of a text file without their line ends (LF, CRLF or CR) and
// without a leading byte-order mark; InputError naming the file.
std::vector<std::string> read_lines(const std::string& path);

// The regular files directly in `dir` whose name ends with `extension`,
// sorted by name; hidden files (".", macOS's "._" copies) left out.
std::vector<std::filesystem::path> sorted_files(const std::filesystem::path& dir, const std::string& extension);

// `path` made absolute and normalised, as the manifest's audio column holds it.
std::string absolute_path(const std::filesystem::path& path);

}  // namespace daf
