#pragma once
// Minimal CSV for daf's own files: comma-separated, fields with a comma or
// quote are quoted ("a,b" / "say ""x""").
#include <string>
#include <vector>

namespace daf {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> lines;  // the file line of each row (1 is the header)
  // Index of a column; InputError naming `source` when absent.
  size_t column(const std::string& name, const std::string& source) const;
};

CsvTable read_csv(const std::string& path);
std::string csv_field(const std::string& value);  // quotes when needed

}  // namespace daf
