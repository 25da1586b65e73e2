#include "daf/util/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daf/util/error.h"

namespace daf {

void check_output_path(const std::string& path) {
  // The rename would replace whatever is there: as root even /dev/full or /dev/null.
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw InputError(path + ": " +
                     (std::filesystem::is_directory(status) ? "is a directory" : "is not a regular file (a device, pipe or socket)") +
                     "; outputs are written beside their path and renamed into place, so give the path of a file");
}

AtomicOutput::AtomicOutput(std::string path)
    : path_(std::move(path)), temp_path_(path_ + ".tmp." + std::to_string(::getpid())) {
  check_output_path(path_);
}

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
  write_whole_file(output.temp_path(), contents, path);
  output.commit();
}

void write_whole_file(const std::string& path, const std::string& contents, const std::string& display_path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw RuntimeFailure("cannot write " + display_path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = n < 0 ? errno : EIO;
      ::close(fd);
      throw RuntimeFailure("cannot write " + display_path + ": " + std::strerror(saved));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) throw RuntimeFailure("cannot write " + display_path + ": " + std::strerror(errno));
}

int remove_stale_temporaries(const std::string& dir) {
  namespace fs = std::filesystem;
  int removed = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    const auto at = name.rfind(".tmp.");
    if (at == std::string::npos || at + 5 >= name.size()) continue;
    const std::string pid_text = name.substr(at + 5);
    if (pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to judge)
    if (fs::remove(entry.path(), error)) ++removed;
  }
  return removed;
}

std::string read_file(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    throw InputError(path + ": is a directory, expected a file");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError(path + ": cannot open file: " + std::strerror(errno));
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

}  // namespace daf
