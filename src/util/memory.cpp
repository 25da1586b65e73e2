#include "daf/util/memory.h"

#include <unistd.h>

#include <cstdio>

#include "daf/util/error.h"

namespace daf {

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page_size > 0 ? static_cast<double>(pages) * static_cast<double>(page_size) : 0.0;
}

void check_memory_request(double bytes, const std::string& what, const std::string& detail) {
  const double available = physical_memory_bytes();
  if (available <= 0 || bytes <= 0.8 * available) return;
  char text[160];
  std::snprintf(text, sizeof text, " needs about %.3g GB of memory (%s); this machine has %.3g GB", bytes / 1e9,
                detail.c_str(), available / 1e9);
  throw InputError(what + text);
}

}  // namespace daf
