#pragma once
// `daf-ablate --collect DIR`: aggregates the finished runs of a sweep (from
// any number of shards) into tables, statistics and plots.
#include <string>
#include <vector>

namespace daf {

struct CollectOptions {
  bool allow_partial = false;  // aggregate what is finished instead of failing on missing runs
  bool plots = true;
};

struct CollectResult {
  std::string summary_markdown;   // summary.md
  std::string terminal_summary;   // the headline metrics per condition, the primary comparison, where summary.md is
  int64_t runs = 0;
  std::vector<std::string> missing;  // "condition seed S (shard K/N)"
};

// Writes runs.csv, summary.csv, summary.md, summary.html, robustness.csv,
// comparison.csv, gates.csv and plots/*.png (+ .svg) into `dir`. Missing runs are an InputError that
// lists them and the shards they belong to, unless allow_partial.
CollectResult collect_sweep(const std::string& dir, const CollectOptions& options = {});

}  // namespace daf
