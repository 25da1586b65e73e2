#pragma once
// Outputs are written under a temporary name and renamed into place, so a
// killed job never leaves a half-written file behind under the real name.
#include <string>

namespace daf {

// InputError when `path` exists and is not a regular file (a directory, /dev/null,
// a pipe): renaming an output into place would replace it.
void check_output_path(const std::string& path);

// Reserves a temporary path beside `path`; commit() renames it into place.
// If commit() is never called the temporary file is removed. Checks `path`
// with check_output_path first.
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

// Writes `contents` to `path` atomically; every write is checked, so a full
// disk or a missing permission throws RuntimeFailure naming the path and the
// OS reason, the temporary file is removed and `path` is left untouched.
void write_file_atomic(const std::string& path, const std::string& contents);

// Writes `contents` to `path` (not atomically), checking every write;
// messages name `display_path`.
void write_whole_file(const std::string& path, const std::string& contents, const std::string& display_path);

// Removes the temporary files (<name>.tmp.<pid>) that processes no longer
// alive left in `dir` (kill -9 between writing and renaming); returns how many.
int remove_stale_temporaries(const std::string& dir);

// Whole file as a string; throws InputError naming the path.
std::string read_file(const std::string& path);

}  // namespace daf
