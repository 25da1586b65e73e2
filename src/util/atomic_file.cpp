#include "daf/util/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "daf/util/error.h"

namespace daf {

AtomicOutput::AtomicOutput(std::string path)
    : path_(std::move(path)), temp_path_(path_ + ".tmp." + std::to_string(::getpid())) {}

AtomicOutput::~AtomicOutput() {
  if (!committed_) std::remove(temp_path_.c_str());
}

void AtomicOutput::commit() {
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    throw RuntimeFailure("cannot move " + temp_path_ + " to " + path_ + ": " + std::strerror(errno));
  }
  committed_ = true;
}

void write_file_atomic(const std::string& path, const std::string& contents) {
  AtomicOutput output(path);
  {
    std::ofstream file(output.temp_path(), std::ios::binary | std::ios::trunc);
    if (!file) throw RuntimeFailure("cannot write " + output.temp_path() + ": " + std::strerror(errno));
    file << contents;
    file.flush();
    if (!file) throw RuntimeFailure("cannot write " + output.temp_path() + ": " + std::strerror(errno));
  }
  output.commit();
}

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError(path + ": cannot open file: " + std::strerror(errno));
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

}  // namespace daf
