#include "daf/util/csv.h"

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

// One record at a time over the whole text, so quoted fields may span lines.
class CsvScanner {
 public:
  CsvScanner(const std::string& text, const std::string& source) : text_(text), source_(source) {}

  // The next record (false at the end); `line` gets the line it starts on.
  bool next(std::vector<std::string>& fields, size_t& line) {
    fields.assign(1, std::string());
    if (pos_ >= text_.size()) return false;
    line = line_;
    bool quoted = false;        // inside a quoted field
    bool field_start = true;    // nothing read of this field yet
    size_t quote_line = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (quoted) {
        if (c == '"' && pos_ < text_.size() && text_[pos_] == '"') {
          fields.back() += '"';
          ++pos_;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n' || (c == '\r' && (pos_ >= text_.size() || text_[pos_] != '\n'))) ++line_;
          fields.back() += c;
        }
        continue;
      }
      if (c == '"' && field_start) {
        quoted = true;
        field_start = false;
        quote_line = line_;
      } else if (c == ',') {
        fields.emplace_back();
        field_start = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
        return true;
      } else {
        fields.back() += c;
        field_start = false;
      }
    }
    if (quoted)
      throw InputError(source_ + ":" + std::to_string(quote_line) +
                       ": a quoted field opened on this line is never closed (a '\"' is missing)");
    return true;
  }

 private:
  const std::string& text_;
  const std::string& source_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

bool is_blank(const std::vector<std::string>& fields) { return fields.size() == 1 && fields[0].empty(); }

}  // namespace

size_t CsvTable::column(const std::string& name, const std::string& source) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  throw InputError(source + ": no column '" + name + "'");
}

CsvTable parse_csv(const std::string& text, const std::string& source) {
  const std::string body = without_bom(text);
  CsvScanner scanner(body, source);
  CsvTable table;
  std::vector<std::string> fields;
  size_t line = 0;
  bool have_header = false;
  while (scanner.next(fields, line)) {
    if (is_blank(fields)) continue;
    if (!have_header) {
      table.header = std::move(fields);
      have_header = true;
      continue;
    }
    if (fields.size() != table.header.size())
      throw InputError(source + ":" + std::to_string(line) + ": the row has " + std::to_string(fields.size()) +
                       " fields, the header has " + std::to_string(table.header.size()));
    table.rows.push_back(std::move(fields));
    table.lines.push_back(line);
  }
  if (!have_header) throw InputError(source + ": empty CSV file");
  return table;
}

CsvTable read_csv(const std::string& path) { return parse_csv(read_file(path), path); }

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace daf
