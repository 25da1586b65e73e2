#pragma once
// Outputs are written under a temporary name and renamed into place, so a
// killed job never leaves a half-written file behind under the real name.
#include <string>

namespace daf {

// Reserves a temporary path beside `path`; commit() renames it into place.
// If commit() is never called the temporary file is removed.
class AtomicOutput {
 public:
  explicit AtomicOutput(std::string path);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::string& temp_path() const { return temp_path_; }
  const std::string& path() const { return path_; }
  void commit();

 private:
  std::string path_;
  std::string temp_path_;
  bool committed_ = false;
};

// Writes `contents` to `path` atomically; throws RuntimeFailure naming the path.
void write_file_atomic(const std::string& path, const std::string& contents);

// Whole file as a string; throws InputError naming the path.
std::string read_file(const std::string& path);

}  // namespace daf
