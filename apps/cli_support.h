#pragma once
// Command-line conventions shared by the daf executables (CLI11).
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "daf/config/option_set.h"
#include "daf/util/error.h"
#include "daf/util/standard_output.h"
#include "daf/util/tool_main.h"

namespace daf::cli {

inline const char* kExitCodesHelp =
    "Exit codes: 0 success; 1 runtime failure (I/O, diverged training, device); "
    "2 bad input (usage, config, data or model file).";

// The help text of every option that `declare` binds, for an app's --help footer.
template <class Config>
std::string options_help(void (*declare)(OptionSet&, Config&)) {
  Config defaults;
  OptionSet options;
  declare(options, defaults);
  return "Config options (YAML keys and section.key=value overrides):\n" + options.help_text() + "\n" +
         kExitCodesHelp;
}

// An integer option's range check. CLI11's own CLI::Range words its message
// differently in 2.1 (Debian 12) and 2.4 (Debian 13); this one says the same
// on both: "--jobs: expected an integer from 1 to 256, got '-1'".
inline CLI::Validator integer_range(long long low, long long high) {
  const std::string expected = "an integer from " + std::to_string(low) + " to " + std::to_string(high);
  return CLI::Validator(
      [low, high, expected](std::string& text) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long long value = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || errno == ERANGE || value < low || value > high)
          return "expected " + expected + ", got '" + text + "'";
        return std::string();
      },
      expected);
}

// Parses argv. Returns -1 to go on, or the exit code to stop with (0 after --help,
// 1 when the help could not be written).
inline int parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return -1;
  } catch (const CLI::CallForHelp& e) {
    return run_tool([&] { return app.exit(e); });
  } catch (const CLI::CallForAllHelp& e) {
    return run_tool([&] { return app.exit(e); });
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }
}

}  // namespace daf::cli
