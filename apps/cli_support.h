#pragma once
// Command-line conventions shared by the daf executables (CLI11).
#include <CLI/CLI.hpp>

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
