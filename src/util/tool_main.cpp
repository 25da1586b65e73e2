#include "daf/util/tool_main.h"

#include <c10/util/Exception.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>

#include "daf/util/error.h"
#include "daf/util/logging.h"

namespace daf {

void prepare_process(int argc, char** argv) {
  (void)argc;
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    if (std::getenv("GLOG_minloglevel") == nullptr) ::setenv("GLOG_minloglevel", "2", 1);
    ::execv("/proc/self/exe", argv);
    // If exec fails we simply continue with the inherited environment.
  }
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
