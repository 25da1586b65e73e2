#include "daf/util/tool_main.h"

#include <c10/util/Exception.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>

#include "daf/util/error.h"
#include "daf/util/logging.h"

namespace daf {

void keep_freed_memory() {
  // Training allocates and frees the same few tensors (0.1-2 MB) every step.
  // With glibc's defaults such blocks are mmapped, or trimmed back to the
  // system, and every step faults their pages in again: 3-4x slower steps on
  // a virtual machine. Keeping freed memory in the heap avoids that.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest value glibc accepts on 64-bit
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

void prepare_process(int argc, char** argv) {
  (void)argc;
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    if (std::getenv("GLOG_minloglevel") == nullptr) ::setenv("GLOG_minloglevel", "2", 1);
    ::execv("/proc/self/exe", argv);
    // If exec fails we simply continue with the inherited environment.
  }
  keep_freed_memory();
  setup_logging();
}

int run_tool(const std::function<int()>& body) {
  try {
    return body();
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
