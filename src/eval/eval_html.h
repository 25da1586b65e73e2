#pragma once
// daf-eval's report.html: the report.md numbers as one self-contained page
// (report/html_page.h), with the fusion weights plotted as inline SVG.
#include <string>
#include <vector>

#include "daf/analysis/slices.h"
#include "daf/eval/evaluation.h"
#include "daf/report/gate_summary.h"
#include "daf/model/run_progress.h"

namespace daf {

struct EvalReportData {
  const EvalRequest* request = nullptr;
  std::string cache;
  int64_t rows = 0;
  const Scores* scores = nullptr;
  std::vector<std::string> names;  // class or label names (class tasks, multilabel)
  const GateSummary* gate = nullptr;  // null: the model has no gate
  RunProgress progress;
  std::string task;
  std::string out_dir;  // where gate_weights.svg (+ .dat, .gp) is written beside the page
  // The utterance explorer's data (slice_report.h's evaluated_split); null: no explorer.
  std::string condition;
  const SliceData* split = nullptr;
  const std::vector<Slice>* slices = nullptr;
  const std::vector<std::string>* transcripts = nullptr;
};

// The page's text. Writes the weights plot into out_dir when gnuplot is there
// (otherwise the page says it is missing and why).
std::string eval_report_html(const EvalReportData& data);

}  // namespace daf
