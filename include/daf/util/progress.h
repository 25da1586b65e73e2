#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal;
// elsewhere (CI, log files) it stays silent and callers log plain lines.
#include <chrono>
#include <string>

namespace daf {

// Seconds left when `done` of `total` units of work took `elapsed` seconds (0 before any work).
double remaining_seconds(double elapsed, double done, double total);

// A total of 0 disables the bar. With `total_work` > 0 the time left is estimated from
// work (seconds of audio, tokens) rather than from items: longest-first batches make
// early items slower than late ones.
class ProgressBar {
 public:
  ProgressBar(std::string label, long total, double total_work = 0);
  ~ProgressBar();
  void update(long done, const std::string& detail = "");
  void update(long done, double work_done, const std::string& detail = "");
  void finish();
  // Clears the bar's line so a log line can be printed; the next update redraws it.
  void finish_line();

 private:
  std::string label_;
  long total_;
  double total_work_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace daf
