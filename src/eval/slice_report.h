#pragma once
// daf-eval --analysis: the slice analysis of one evaluated model.
#include <string>

namespace daf {

struct Config;

// Reads the `analysis:` section of `analysis_file` (a sweep file, or a file holding the
// section's keys alone), slices the evaluated split by it and writes analysis.csv (and, with
// gnuplot, plots/analysis-*.png) and analysis.md into `out_dir`, beside the predictions.csv it reads.
// `condition`: the model's name in the tables. Returns the report.md section.
std::string eval_slice_analysis(const std::string& analysis_file, const Config& config, const std::string& condition,
                                const std::string& cache_path, const std::string& split, const std::string& out_dir);

}  // namespace daf
