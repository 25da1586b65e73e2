#include "daf/report/markdown_html.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "daf/report/html_page.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

// The cells of "| a | b\|c |": split at unescaped bars, trimmed, unescaped.
std::vector<std::string> table_cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (line[i] == '|') {
      cells.push_back(trim(cell));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return cells;
}

bool is_separator(const std::string& line) { return line.find_first_not_of("|-: ") == std::string::npos; }

// The number a cell starts with ("0.7120 ± 0.0040" -> "0.7120"); empty when none.
std::string leading_number(const std::string& cell) {
  const std::string first = cell.substr(0, cell.find(' '));
  double value = 0;
  return parse_number(first, value) ? first : std::string();
}

bool is_placeholder(const std::string& cell) {
  return cell.empty() || cell == "n/a" || cell == "undefined" || cell == "-" || cell == "nan";
}

HtmlTable to_table(const std::vector<std::string>& lines) {
  HtmlTable table;
  table.header = table_cells(lines.front());
  const size_t columns = table.header.size();
  for (size_t i = 1; i < lines.size(); ++i) {
    if (i == 1 && is_separator(lines[i])) continue;
    std::vector<std::string> row = table_cells(lines[i]), keys;
    std::vector<bool> marked;
    row.resize(columns);
    for (auto& cell : row) {
      const bool bold = cell.size() > 4 && cell.compare(0, 2, "**") == 0 && cell.compare(cell.size() - 2, 2, "**") == 0;
      if (bold) cell = cell.substr(2, cell.size() - 4);
      marked.push_back(bold);
      keys.push_back(leading_number(cell));
    }
    table.rows.push_back(row);
    table.marked.push_back(marked);
    table.sort_keys.push_back(keys);
  }
  table.numeric.assign(columns, false);
  for (size_t c = 0; c < columns; ++c) {
    bool any = false, all = true;
    for (size_t r = 0; r < table.rows.size(); ++r) {
      if (is_placeholder(table.rows[r][c])) continue;
      any = true;
      all = all && !table.sort_keys[r][c].empty();
    }
    table.numeric[c] = any && all;
  }
  return table;
}

// "![caption](path)" alone on a line: caption and path.
bool image_line(const std::string& line, std::string& caption, std::string& path) {
  if (line.compare(0, 2, "![") != 0 || line.back() != ')') return false;
  const auto middle = line.find("](");
  if (middle == std::string::npos) return false;
  caption = line.substr(2, middle - 2);
  path = line.substr(middle + 2, line.size() - middle - 3);
  return true;
}

}  // namespace

void append_markdown(HtmlPage& page, const std::string& markdown, const std::string& dir) {
  const std::vector<std::string> lines = split(markdown, '\n');
  bool title_seen = false;
  std::string paragraph;
  const auto flush = [&] {
    if (!trim(paragraph).empty()) page.paragraph_with_emphasis(trim(paragraph));
    paragraph.clear();
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string caption, path;
    if (line.compare(0, 3, "```") == 0) {
      flush();
      std::string text;
      for (++i; i < lines.size() && lines[i].compare(0, 3, "```") != 0; ++i) text += lines[i] + "\n";
      page.details("text", text);
    } else if (line.compare(0, 2, "# ") == 0 && !title_seen) {
      flush();
      title_seen = true;
    } else if (line.compare(0, 2, "# ") == 0 || line.compare(0, 3, "## ") == 0 || line.compare(0, 4, "### ") == 0) {
      flush();
      const size_t level = line.find(' ');
      page.heading(line.substr(level + 1), static_cast<int>(std::max<size_t>(2, level)));
    } else if (!line.empty() && line.front() == '|') {
      flush();
      std::vector<std::string> block;
      for (; i < lines.size() && !lines[i].empty() && lines[i].front() == '|'; ++i) block.push_back(lines[i]);
      --i;
      page.table(to_table(block));
    } else if (!line.empty() && image_line(line, caption, path)) {
      flush();
      const std::string file = (std::filesystem::path(dir) / path).string();
      if (std::filesystem::exists(file)) page.plot_file(file, caption);
      else page.note("Plot " + path + " is missing.");
    } else if (trim(line).empty()) {
      flush();
    } else {
      paragraph += (paragraph.empty() ? "" : " ") + line;
    }
  }
  flush();
}

}  // namespace daf
