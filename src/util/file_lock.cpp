#include "daf/util/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>

#include "daf/util/error.h"

namespace daf {
namespace fs = std::filesystem;

namespace {

std::mutex registry_mutex;
std::map<std::string, std::weak_ptr<FileLock>>& registry() {
  static std::map<std::string, std::weak_ptr<FileLock>> locks;
  return locks;
}

std::string holder_pid(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string pid = n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

std::shared_ptr<FileLock> lock_path(const std::string& path, const std::string& what) {
  const std::string key = fs::absolute(path).lexically_normal().string();
  std::lock_guard<std::mutex> guard(registry_mutex);
  if (auto held = registry()[key].lock()) return held;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw RuntimeFailure(path + ": cannot create lock file: " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    const std::string pid = holder_pid(fd);
    ::close(fd);
    if (saved == EWOULDBLOCK)
      throw RuntimeFailure(what + " is being written by another process (PID " + pid + ", lock " + path +
                           "); wait for it to finish or choose another output");
    throw RuntimeFailure(path + ": cannot lock: " + std::strerror(saved));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int saved = errno;
    ::close(fd);
    throw RuntimeFailure(path + ": cannot write lock file: " + std::strerror(saved));
  }
  auto lock = std::make_shared<FileLock>(path, fd);
  registry()[key] = lock;
  return lock;
}

std::shared_ptr<FileLock> lock_run_directory(const std::string& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw RuntimeFailure(dir + ": cannot create run directory: " + error.message());
  return lock_path(dir + "/.daf-lock", "run directory " + dir);
}

std::shared_ptr<FileLock> lock_output_file(const std::string& path) {
  const auto parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code error;
    fs::create_directories(parent, error);
    if (error) throw RuntimeFailure(parent.string() + ": cannot create folder: " + error.message());
  }
  return lock_path(path + ".lock", path);
}

}  // namespace daf
