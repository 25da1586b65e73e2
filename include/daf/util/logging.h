#pragma once
// spdlog setup shared by the executables: colour on a terminal, plain lines
// otherwise, and an optional copy of the log in a run directory.
#include <string>

namespace daf {

// level: "debug", "info", "warn", "error".
void setup_logging(const std::string& level = "info");
// Adds (or replaces) a log file sink; each line is also written there.
void log_to_file(const std::string& path);
// Stops writing to the log file (e.g. when the run directory is done).
void stop_log_file();

bool stderr_is_terminal();

}  // namespace daf
