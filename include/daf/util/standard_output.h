#pragma once
// Standard output, checked. Results go to std::cout, which prepare_process points
// at a buffer over file descriptor 1 that remembers the first failed write (a full
// disk, /dev/full, a closed pipe or descriptor): a tool whose output was cut must
// not exit 0. SIGPIPE is ignored so that a closed pipe is such a failure too.
#include <string>

namespace daf {

// Points std::cout at the checked buffer and ignores SIGPIPE (prepare_process does this).
void use_checked_standard_output();

// Flushes std::cout; RuntimeFailure "standard output: <OS reason>" when any write
// to it failed. Pipes call this after every answer, every tool once at the end.
void flush_standard_output();

}  // namespace daf
