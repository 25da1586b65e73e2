#include "daf/util/csv.h"

#include <sstream>

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

std::vector<std::string> parse_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

size_t CsvTable::column(const std::string& name, const std::string& source) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  throw InputError(source + ": no column '" + name + "'");
}

CsvTable read_csv(const std::string& path) {
  std::istringstream in(without_bom(read_file(path)));
  CsvTable table;
  std::string line;
  if (!std::getline(in, line)) throw InputError(path + ": empty CSV file");
  table.header = parse_line(line);
  for (size_t row = 2; std::getline(in, line); ++row) {
    if (line.empty()) continue;
    auto fields = parse_line(line);
    if (fields.size() != table.header.size())
      throw InputError(path + ": row " + std::to_string(row) + " has " + std::to_string(fields.size()) +
                       " fields, the header has " + std::to_string(table.header.size()));
    table.rows.push_back(std::move(fields));
    table.lines.push_back(row);
  }
  return table;
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace daf
