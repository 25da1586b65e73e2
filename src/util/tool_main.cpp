#include "daf/util/tool_main.h"

#include <c10/util/Exception.h>
#include <torch/version.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <exception>

#include "daf/util/error.h"
#include "daf/util/logging.h"
#include "daf/util/process_info.h"
#include "daf/util/standard_output.h"

namespace daf {

void keep_freed_memory() {
  // Training allocates and frees the same few tensors (0.1-2 MB) every step.
  // With glibc's defaults such blocks are mmapped, or trimmed back to the
  // system, and every step faults their pages in again: 3-4x slower steps on
  // a virtual machine. Keeping freed memory in the heap avoids that.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest value glibc accepts on 64-bit
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

namespace {

// A standard descriptor the caller closed (`>&-`) would be handed to the next file
// this process opens, and results meant for standard output would land in it. A
// read-only /dev/null takes its place: reads see the end, writes fail (EBADF).
void reserve_standard_descriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int opened = ::open("/dev/null", O_RDONLY);
    if (opened >= 0 && opened != fd) {
      ::dup2(opened, fd);
      ::close(opened);
    }
  }
}

// LibTorch's own warnings (TORCH_WARN) through spdlog like every other line
// daf logs: LibTorch 2.x prints them to stderr in its own format, whatever
// GLOG_minloglevel says. One goes to the debug level: the "gradient layout
// contract" hint that LibTorch 2.6 gives once for stacked training. FlatAdam
// (train/flat_adam.cpp) makes every parameter and its gradient views of one
// [runs, P] buffer on purpose, so that backward accumulates straight into it;
// the hint's premise (a gradient should be laid out like a dense parameter)
// does not hold for such views, and nothing is slower for it.
class LoggedTorchWarnings : public c10::WarningHandler {
 public:
#if TORCH_VERSION_MAJOR >= 2
  void process(const c10::Warning& warning) override { log(warning.msg()); }
#else
  void process(const c10::SourceLocation&, const std::string& message, const bool) override { log(message); }
#endif

 private:
  static void log(const std::string& message) {
    if (message.find("gradient layout contract") != std::string::npos)
      spdlog::debug("LibTorch: {}", message);
    else
      spdlog::warn("LibTorch: {}", message);
  }
};

}  // namespace

void log_torch_warnings_in_this_thread() {
  static LoggedTorchWarnings handler;  // stateless, shared by every thread
#if TORCH_VERSION_MAJOR >= 2
  c10::WarningUtils::set_warning_handler(&handler);
#else
  c10::Warning::set_warning_handler(&handler);
#endif
}

void prepare_process(int argc, char** argv) {
  record_command_line(argc, argv);
  reserve_standard_descriptors();
  // Each is read when its library loads, before main(): setting either means running again.
  // They are independent: a user who sets OMP_WAIT_POLICY still gets a quiet LibTorch.
  bool again = false;
  for (const auto& [name, value] : {std::pair<const char*, const char*>{"OMP_WAIT_POLICY", "PASSIVE"},
                                    {"GLOG_minloglevel", "2"}})
    if (std::getenv(name) == nullptr) {
      ::setenv(name, value, 1);
      again = true;
    }
  if (again) ::execv("/proc/self/exe", argv);  // if exec fails, go on with the inherited environment
  keep_freed_memory();
  use_checked_standard_output();
  setup_logging();
  log_torch_warnings_in_this_thread();
}

int run_tool(const std::function<int()>& body) {
  try {
    const int code = body();
    flush_standard_output();
    return code;
  } catch (const InputError& e) {
    spdlog::error("{}", e.what());
    return kExitBadInput;
  } catch (const RuntimeFailure& e) {
    spdlog::error("{}", e.what());
    return kExitRuntimeFailure;
  } catch (const c10::Error& e) {
    spdlog::error("LibTorch: {}", e.what_without_backtrace());
    return kExitRuntimeFailure;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitRuntimeFailure;
  }
}

}  // namespace daf
