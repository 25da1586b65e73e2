#include "daf/train/run_directory.h"

#include <filesystem>

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace fs = std::filesystem;

RunPaths::RunPaths(const std::string& run_dir)
    : dir(run_dir),
      config(run_dir + "/config.yaml"),
      weights(run_dir + "/model.pt"),
      metadata(run_dir + "/model.yaml"),
      metrics(run_dir + "/metrics.csv"),
      log(run_dir + "/train.log"),
      final_metrics(run_dir + "/final_metrics.json"),
      checkpoint(run_dir + "/checkpoint.pt"),
      eval(run_dir + "/eval") {}

namespace {

// Removes only the files daf-train writes, never anything else in the folder.
void clear_run_files(const RunPaths& paths) {
  for (const auto& file : {paths.config, paths.weights, paths.metadata, paths.metrics, paths.log,
                           paths.final_metrics, paths.checkpoint})
    fs::remove(file);
  fs::remove_all(paths.eval);
}

}  // namespace

RunStart prepare_run_directory(const RunPaths& paths, const Config& config) {
  std::error_code error;
  fs::create_directories(paths.dir, error);
  if (error) throw RuntimeFailure(paths.dir + ": cannot create run directory: " + error.message());
  remove_stale_temporaries(paths.dir);  // left by a process killed between writing and renaming

  if (fs::exists(paths.final_metrics)) {
    if (!config.output.overwrite)
      throw InputError(paths.dir + ": holds a finished run (" + paths.final_metrics +
                       "); set output.overwrite=true to replace it or choose another output.dir");
    clear_run_files(paths);
    return RunStart::kFresh;
  }
  if (fs::exists(paths.checkpoint) && config.output.resume && !config.output.overwrite) {
    const Config previous = load_config(paths.config, {});
    const auto differences = config_differences(previous, config);
    if (!differences.empty())
      throw InputError(paths.dir + ": holds an interrupted run with a different config (" + join(differences, "; ") +
                       "); set output.overwrite=true to start over or choose another output.dir");
    return RunStart::kResume;
  }
  clear_run_files(paths);
  return RunStart::kFresh;
}

}  // namespace daf
