#include "daf/report/markdown_table.h"

#include <algorithm>
#include <stdexcept>

namespace daf {

namespace {
// Display width: UTF-8 continuation bytes take no column ("±" is two bytes).
size_t display_width(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}
// A '|' inside a cell ("|label| [0, 1)") would end the cell: Markdown's escape keeps it text.
std::vector<std::string> escaped(std::vector<std::string> cells) {
  for (auto& cell : cells) {
    std::string out;
    for (char c : cell) out += c == '|' ? std::string("\\|") : std::string(1, c);
    cell = std::move(out);
  }
  return cells;
}
}  // namespace

MarkdownTable::MarkdownTable(std::vector<std::string> header) : header_(escaped(std::move(header))) {}

void MarkdownTable::add_row(std::vector<std::string> row) {
  if (row.size() != header_.size()) throw std::invalid_argument("MarkdownTable: row width differs from header");
  rows_.push_back(escaped(std::move(row)));
}

std::string MarkdownTable::str() const {
  std::vector<size_t> width(header_.size(), 3);
  for (size_t c = 0; c < header_.size(); ++c) {
    width[c] = std::max(width[c], display_width(header_[c]));
    for (const auto& row : rows_) width[c] = std::max(width[c], display_width(row[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (size_t c = 0; c < cells.size(); ++c) out += " " + cells[c] + std::string(width[c] - display_width(cells[c]), ' ') + " |";
    return out + "\n";
  };
  std::string out = line(header_);
  out += "|";
  for (size_t c = 0; c < header_.size(); ++c) out += std::string(width[c] + 2, '-') + "|";
  out += "\n";
  for (const auto& row : rows_) out += line(row);
  return out;
}

}  // namespace daf
