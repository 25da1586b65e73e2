#pragma once
// daf-eval --analysis: the slice analysis of one evaluated model.
#include <string>
#include <vector>

#include "daf/analysis/slices.h"

namespace daf {

struct Config;

// The `analysis:` section of `analysis_file` (a sweep file, or a file holding the section's
// keys alone), checked for one model of `config` named `condition` in the tables: before
// anything is evaluated, so a bad file costs no work.
SliceSettings eval_analysis_settings(const std::string& analysis_file, const Config& config,
                                     const std::string& condition);

// The evaluated split as the slices and the utterance explorer see it: the predictions.csv
// in `out_dir` as the run of `condition`, and the cache's label and meta columns, present
// masks and (into `transcripts`) transcripts, in the predictions' order.
SliceData evaluated_split(const Config& config, const std::string& condition, const std::string& cache_path,
                          const std::string& split, const std::string& out_dir, std::vector<std::string>* transcripts);

// Slices the evaluated split (evaluated_split) and writes analysis.csv, analysis.md (and, with
// gnuplot, plots/analysis-*.png) into `out_dir`. Returns the report.md section.
std::string eval_slice_analysis(const SliceSettings& settings, const SliceData& data, const std::string& condition,
                                const std::string& out_dir);

}  // namespace daf
