#pragma once
// daf-eval --analysis: the slice analysis of one evaluated model.
#include <string>

#include "daf/analysis/slices.h"

namespace daf {

struct Config;

// The `analysis:` section of `analysis_file` (a sweep file, or a file holding the section's
// keys alone), checked for one model of `config` named `condition` in the tables: before
// anything is evaluated, so a bad file costs no work.
SliceSettings eval_analysis_settings(const std::string& analysis_file, const Config& config,
                                     const std::string& condition);

// Slices the evaluated split and writes analysis.csv, analysis.md (and, with gnuplot,
// plots/analysis-*.png) into `out_dir`, beside the predictions.csv it reads. Returns the
// report.md section.
std::string eval_slice_analysis(const SliceSettings& settings, const Config& config, const std::string& condition,
                                const std::string& cache_path, const std::string& split, const std::string& out_dir);

}  // namespace daf
