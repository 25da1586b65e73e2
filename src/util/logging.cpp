#include "daf/util/logging.h"

#include <algorithm>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "daf/util/error.h"

namespace daf {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void setup_logging(const std::string& level) {
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("daf", console);
  logger->set_pattern("[%H:%M:%S] %^%l%$: %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

std::shared_ptr<spdlog::logger> make_run_logger(const std::string& file, bool to_console) {
  std::shared_ptr<spdlog::sinks::basic_file_sink_mt> file_sink;
  try {
    file_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file, false);
  } catch (const spdlog::spdlog_ex& e) {
    throw RuntimeFailure("cannot open log file " + file + ": " + e.what());
  }
  file_sink->set_pattern("[%Y-%m-%d %H:%M:%S.%e] %l: %v");
  file_sink->set_level(spdlog::level::info);
  std::vector<spdlog::sink_ptr> sinks = {file_sink};
  const auto& console = spdlog::default_logger();
  if (to_console)
    for (const auto& sink : console->sinks()) sinks.push_back(sink);
  auto logger = std::make_shared<spdlog::logger>("run", sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::debug);
  logger->flush_on(spdlog::level::info);
  // The console keeps the user's level; the file gets everything from info up.
  for (size_t i = 1; i < sinks.size(); ++i) sinks[i]->set_level(console->level());
  return logger;
}

}  // namespace daf
