#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal;
// elsewhere (CI, log files) it stays silent and callers log plain lines.
#include <chrono>
#include <string>

namespace daf {

// A total of 0 disables the bar.
class ProgressBar {
 public:
  ProgressBar(std::string label, long total);
  ~ProgressBar();
  void update(long done, const std::string& detail = "");
  void finish();
  // Clears the bar's line so a log line can be printed; the next update redraws it.
  void finish_line();

 private:
  std::string label_;
  long total_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace daf
