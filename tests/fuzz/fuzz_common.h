#pragma once
// Shared by the libFuzzer harnesses: a scratch folder per process, and the
// rule every harness checks. A daf reader may reject input only with
// daf::InputError (bad input, exit 2) or daf::RuntimeFailure (exit 1); any
// other exception would reach the user as raw text, so it is a finding, and
// so is every crash the sanitizers see.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "daf/util/error.h"

namespace daf::fuzz {

inline const std::string& scratch() {
  static const std::string dir = [] {
    const std::string d = std::filesystem::temp_directory_path().string() + "/daf-fuzz-" + std::to_string(::getpid());
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

inline std::string write_input(const std::string& name, const uint8_t* data, size_t size) {
  const std::string path = scratch() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                static_cast<std::streamsize>(size));
  return path;
}

template <class Body>
void expect_clean_errors(Body body) {
  try {
    body();
  } catch (const daf::InputError&) {
  } catch (const daf::RuntimeFailure&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "finding: an exception other than InputError/RuntimeFailure escaped: %s\n", e.what());
    std::abort();
  }
}

}  // namespace daf::fuzz
