#include "daf/model/run_progress.h"

#include <cmath>
#include <filesystem>

#include "daf/util/csv.h"

namespace daf {

RunProgress read_run_progress(const std::string& dir, const Config& config) {
  RunProgress progress;
  progress.max_epochs = config.train.max_epochs;
  progress.finished = std::filesystem::exists(dir + "/final_metrics.json");
  const std::string metrics = dir + "/metrics.csv";
  if (!std::filesystem::is_regular_file(metrics)) return progress;
  try {
    const CsvTable table = read_csv(metrics);
    progress.epochs_done = static_cast<int64_t>(table.rows.size());
    const std::string column = "valid_" + config.train.early_stop_metric;
    size_t c = table.header.size();
    for (size_t i = 0; i < table.header.size(); ++i)
      if (table.header[i] == column) c = i;
    if (c == table.header.size()) return progress;
    const bool higher = metric_higher_is_better(config.train.early_stop_metric);
    double best = 0;
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const double value = std::strtod(table.rows[r][c].c_str(), nullptr);
      if (std::isnan(value)) continue;
      if (progress.best_epoch == 0 || (higher ? value > best : value < best)) {
        best = value;
        progress.best_epoch = std::strtoll(table.rows[r][0].c_str(), nullptr, 10);
      }
    }
  } catch (const std::exception&) {
    // A damaged metrics.csv: the epochs stay unknown (0); the run still reads as unfinished.
  }
  return progress;
}

std::string unfinished_run_note(const std::string& dir, const RunProgress& progress) {
  if (progress.finished) return "";
  std::string note = dir + " did not finish (";
  note += progress.epochs_done > 0 ? std::to_string(progress.epochs_done) + " of " +
                                         std::to_string(progress.max_epochs) + " epochs, "
                                   : std::string();
  note += "no final_metrics.json): the weights are those of its best epoch so far";
  if (progress.best_epoch > 0) note += ", " + std::to_string(progress.best_epoch);
  return note;
}

}  // namespace daf
