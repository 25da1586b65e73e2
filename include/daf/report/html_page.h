#pragma once
// Self-contained HTML pages (daf-eval's report.html): one file with inline CSS,
// inline SVG plots and small inline scripts (table sorting, the utterance explorer); nothing is
// loaded from anywhere, so the page opens offline from disk. Every piece of
// text passes through html_escape; the only markup inserted as is comes from
// SVG files daf's own plots wrote, after inline_svg removed what could run.
// Readable without JavaScript: tables and plots are plain HTML and SVG.
#include <string>
#include <utility>
#include <vector>

namespace daf {

// &, <, >, " and ' as entities: safe in element content and quoted attributes.
std::string html_escape(const std::string& text);

// An SVG document (gnuplot's svg terminal) made fit to sit inside HTML: the
// XML prolog and DOCTYPE removed; <script>, <foreignObject>, event handler
// attributes (on...=) and links to anything but the page's own fragments are
// refused with RuntimeFailure (daf's plots never write them).
std::string inline_svg(const std::string& svg);

struct HtmlTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;   // cell text, escaped when written
  std::vector<bool> numeric;                    // per column: right-aligned, sorted as numbers ("undefined" last)
  std::vector<std::vector<std::string>> shade;  // optional, like rows: a CSS colour for the cell's background
  std::vector<std::vector<bool>> marked;        // optional, like rows: shown bold (the best of a column)
  // optional, like rows: the number a numeric cell sorts by when its text is
  // more than a number ("0.7120 ± 0.0040"); empty: the text itself, if a number
  std::vector<std::vector<std::string>> sort_keys;
  std::string caption;
  bool sortable = true;  // a click on a column's header sorts by it (script)
};

class HtmlPage {
 public:
  explicit HtmlPage(std::string title);
  void heading(const std::string& text, int level = 2);
  void paragraph(const std::string& text);
  // A paragraph of daf's Markdown: **strong** and `code` spans, the rest text.
  void paragraph_with_emphasis(const std::string& text);
  void note(const std::string& text);  // a highlighted paragraph (an unfinished run, a missing plot)
  void table(const HtmlTable& table);
  void definitions(const std::vector<std::pair<std::string, std::string>>& items);
  // An SVG plot daf wrote (a file), inline, with a caption.
  void svg_file(const std::string& path, const std::string& caption);
  // A plot daf wrote as x.png: its SVG twin x.svg inline where it exists,
  // else the PNG itself inside the page (a data: URL).
  void plot_file(const std::string& png, const std::string& caption);
  // Collapsed preformatted text, e.g. a resolved config.
  void details(const std::string& summary, const std::string& text);
  // Markup a report section built itself, every text in it already escaped.
  void markup(const std::string& html);
  // A script the page runs after its own (once, however often it is added);
  // the policy names each by its hash, so nothing else can run.
  void script(const std::string& code);
  std::string str() const;

 private:
  std::string title_;
  std::string body_;
  std::vector<std::string> scripts_;
  int tables_ = 0;
};

}  // namespace daf
