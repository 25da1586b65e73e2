#pragma once
// spdlog setup shared by the executables: colour on a terminal, plain lines
// otherwise, and an optional copy of the log in a run directory.
#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace daf {

// level: "debug", "info", "warn", "error".
void setup_logging(const std::string& level = "info");
// A logger for one run: every line goes to `file` (appended) and, when
// `to_console`, also to the default logger's console at its level. Runs that
// train concurrently each have their own, so their log files stay separate.
std::shared_ptr<spdlog::logger> make_run_logger(const std::string& file, bool to_console);

bool stderr_is_terminal();

}  // namespace daf
