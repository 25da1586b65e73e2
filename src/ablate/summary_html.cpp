#include "daf/ablate/summary_html.h"

#include <filesystem>

#include "daf/report/html_page.h"
#include "daf/report/markdown_html.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/process_info.h"
#include "daf/version.h"

namespace daf {

std::string sweep_summary_html(const std::string& dir, const std::string& summary_markdown) {
  HtmlPage page("daf-ablate: " + dir);
  append_markdown(page, summary_markdown, dir);
  page.heading("How this was made");
  page.definitions({{"daf", std::string("daf ") + version()},
                    {"command", command_line().empty() ? "(not from a daf executable)" : command_line()},
                    {"machine", machine_description()},
                    {"files", "summary.md says the same as this page; the CSV files beside it hold every number"}});
  const std::string plan = dir + "/plan.yaml";
  if (std::filesystem::exists(plan)) page.details("The sweep's plan: every run and its config (plan.yaml)", read_file(plan));
  return page.str();
}

void write_sweep_summary_html(const std::string& dir) {
  const std::string summary = dir + "/summary.md";
  if (!std::filesystem::exists(summary))
    throw InputError(dir + ": no summary.md: not a collected daf-ablate output folder (daf-ablate --collect " + dir +
                     " writes it)");
  write_file_atomic(dir + "/summary.html", sweep_summary_html(dir, read_file(summary)));
}

}  // namespace daf
