#pragma once
// Refusing requests that cannot fit in memory before allocating anything, so
// an absurd size ends in a clear message instead of std::bad_alloc or a
// machine that swaps until the job is killed.
#include <string>

namespace daf {

// Physical memory of this machine, in bytes (0 when unknown).
double physical_memory_bytes();

// InputError "WHAT needs about X GB of memory (DETAIL); this machine has Y GB"
// when `bytes` exceeds 80% of the physical memory.
void check_memory_request(double bytes, const std::string& what, const std::string& detail);

}  // namespace daf
