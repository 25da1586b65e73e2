#pragma once
// CSV as RFC 4180 writes it and Python's csv module reads it: comma-separated,
// a field in double quotes may hold commas, doubled quotes ("say ""x""") and
// line breaks; records end with LF, CRLF or CR. A quote inside an unquoted field
// is an ordinary character, as in Python's csv.reader.
#include <string>
#include <vector>

namespace daf {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> lines;  // the file line each row starts on (1 is the header)
  // Index of a column; InputError naming `source` when absent.
  size_t column(const std::string& name, const std::string& source) const;
};

// Reads a file (a leading UTF-8 byte-order mark is dropped; empty lines are
// skipped). InputError naming the file and line: an unclosed quote (the line it
// opened on), a row with another number of fields than the header.
CsvTable read_csv(const std::string& path);
// The same for text already read; `source` names it in messages.
CsvTable parse_csv(const std::string& text, const std::string& source);
std::string csv_field(const std::string& value);  // quotes when needed

}  // namespace daf
