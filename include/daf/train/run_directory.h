#pragma once
// The files of a training run directory, and the decision whether a run
// starts fresh, resumes an interrupted run, or must not touch the directory.
#include <string>

#include "daf/config/config.h"

namespace daf {

struct RunPaths {
  explicit RunPaths(const std::string& dir);
  std::string dir;
  std::string config;          // config.yaml: the resolved config
  std::string weights;         // model.pt: best weights
  std::string metadata;        // model.yaml: modalities, dims, normalisation, task, version
  std::string metrics;         // metrics.csv: one row per epoch
  std::string log;             // train.log
  std::string final_metrics;   // final_metrics.json: written last; marks a finished run
  std::string checkpoint;      // checkpoint.pt: model, optimizer and loop state after the last epoch
  std::string eval;            // eval/: daf-eval reports
};

enum class RunStart { kFresh, kResume };

// Creates the directory if needed. A finished run fails unless output.overwrite;
// an interrupted run with the same config resumes when output.resume is set; a
// different config fails naming the keys that differ.
RunStart prepare_run_directory(const RunPaths& paths, const Config& config);

}  // namespace daf
