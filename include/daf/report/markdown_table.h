#pragma once
// A table rendered as aligned Markdown: readable in a terminal and in a .md file.
#include <string>
#include <vector>

namespace daf {

class MarkdownTable {
 public:
  explicit MarkdownTable(std::vector<std::string> header);
  void add_row(std::vector<std::string> row);
  std::string str() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace daf
