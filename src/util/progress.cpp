#include "daf/util/progress.h"

#include <algorithm>
#include <cstdio>

#include "daf/util/logging.h"

namespace daf {

double remaining_seconds(double elapsed, double done, double total) {
  if (done <= 0 || total <= done) return 0.0;
  return elapsed * (total - done) / done;
}

ProgressBar::ProgressBar(std::string label, long total, double total_work)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      total_work_(total_work),
      enabled_(total > 0 && stderr_is_terminal()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(long done, const std::string& detail) { update(done, -1.0, detail); }

void ProgressBar::update(long done, double work_done, const std::string& detail) {
  if (!enabled_ || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  // Redrawing more than ~10 times a second only costs time.
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const int width = 30;
  const bool by_work = total_work_ > 0 && work_done >= 0;
  const double fraction = by_work ? work_done / total_work_ : static_cast<double>(done) / total_;
  const int filled = static_cast<int>(std::min(1.0, fraction) * width);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = by_work ? remaining_seconds(elapsed, work_done, total_work_)
                             : remaining_seconds(elapsed, static_cast<double>(done), static_cast<double>(total_));
  std::string bar(filled, '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\r%s [%s] %ld/%ld %.0fs ETA %.0fs %s\033[K", label_.c_str(), bar.c_str(), done,
               total_, elapsed, eta, detail.c_str());
  std::fflush(stderr);
}

void ProgressBar::finish_line() {
  if (!enabled_ || finished_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace daf
