#pragma once
// The two kinds of failure every daf tool distinguishes, and their exit codes.
#include <stdexcept>
#include <string>

namespace daf {

// Documented process exit codes (README "Exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitRuntimeFailure = 1,  // the input was fine but the job failed (I/O, diverged training, device)
  kExitBadInput = 2,        // bad usage, config, data file or model file
};

// Bad input: a config key, data file, model file or command-line argument the user can fix.
// The message must name the file, the key/row and what was expected vs found.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure that is not the input's fault.
class RuntimeFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace daf
