#pragma once
// summary.html beside a sweep's (or search's) summary.md: the same sections as
// one self-contained page (report/html_page.h) -- sortable tables with the
// best of each column marked, the plots as inline SVG -- and how the sweep was
// made (command, daf version, machine, its plan). `daf-ablate --report DIR`
// writes it again from DIR/summary.md without recollecting anything.
#include <string>

namespace daf {

// The page for the sweep folder `dir` whose summary.md says `summary_markdown`.
std::string sweep_summary_html(const std::string& dir, const std::string& summary_markdown);

// Re-renders DIR/summary.html from DIR/summary.md (InputError when there is none).
void write_sweep_summary_html(const std::string& dir);

}  // namespace daf
