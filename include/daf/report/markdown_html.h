#pragma once
// daf's own Markdown reports (summary.md of daf-ablate: headings, paragraphs,
// MarkdownTable tables, plot images) as blocks of an HtmlPage, so that the
// HTML page and the Markdown file always say the same. Only what daf writes is
// understood; anything else stays text.
//  - "## x", "### x": headings (the first "# x" is the page's own title: skipped);
//  - tables (MarkdownTable): sortable; a column whose cells all start with a
//    number ("0.7120 ± 0.0040", "n/a" aside) sorts by that number; **bold**
//    cells are marked as the best of their column;
//  - "![caption](plots/x.png)" alone on a line: the plot, its SVG twin inline;
//  - fenced code blocks: preformatted text; other lines: paragraphs with
//    **strong** and `code` spans.
#include <string>

namespace daf {

class HtmlPage;

// `dir`: the folder image paths are relative to.
void append_markdown(HtmlPage& page, const std::string& markdown, const std::string& dir);

}  // namespace daf
