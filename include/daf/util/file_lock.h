#pragma once
// Advisory locks on outputs (flock), so two processes never write the same run
// directory or output file at once. The kernel releases a lock when its
// process dies, so kill -9 never leaves a stale lock; the lock file itself
// stays (removing it would let a third process lock a new file while a second
// still holds the old one).
#include <memory>
#include <string>

namespace daf {

class FileLock {
 public:
  FileLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_;
};

// Locks `lock_path` (created if needed) for this process, recording its PID
// in the file. A lock this process already holds is shared (nested callers get
// the same lock). Another process's lock is a RuntimeFailure naming `what` and
// the holder's PID.
std::shared_ptr<FileLock> lock_path(const std::string& lock_path, const std::string& what);

// The lock of a run directory (<dir>/.daf-lock), creating the directory.
std::shared_ptr<FileLock> lock_run_directory(const std::string& dir);
// The lock of an output file (<path>.lock beside it).
std::shared_ptr<FileLock> lock_output_file(const std::string& path);

}  // namespace daf
