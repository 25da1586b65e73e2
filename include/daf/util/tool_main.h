#pragma once
// What every daf executable does around its real work: a sane threading
// environment, logging, and one clear error line with a documented exit code
// instead of an exception trace.
#include <functional>

namespace daf {

// Must run first in main(). OpenMP reads OMP_WAIT_POLICY when the library is
// loaded, before main(); with the default (spinning) policy two busy threads
// on a shared machine slow epochs 10-30x. Where unset, this sets
// OMP_WAIT_POLICY=PASSIVE and GLOG_minloglevel=2 (LibTorch's glog warnings), each
// on its own, and re-executes the program once so the settings take effect. Set
// either yourself to choose otherwise.
// It then keeps freed memory in the heap (keep_freed_memory) and sets up logging.
void prepare_process(int argc, char** argv);

// Sends LibTorch's warnings (TORCH_WARN) raised on the calling thread to
// daf's log instead of LibTorch's own stderr lines. LibTorch keeps one handler
// per thread: prepare_process sets it for the main thread, and every thread
// daf starts to run LibTorch calls this first.
void log_torch_warnings_in_this_thread();

// Makes glibc keep freed blocks for reuse instead of returning them to the
// system, so per-step tensors do not page-fault every step.
void keep_freed_memory();

// Runs `body`, mapping InputError to exit code 2, RuntimeFailure and other
// failures to 1, and logging the message.
int run_tool(const std::function<int()>& body);

}  // namespace daf
