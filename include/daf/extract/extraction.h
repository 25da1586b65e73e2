#pragma once
// daf-extract: utterances (a manifest, or a cache with transcripts) -> frozen
// text/speech encoders -> per-utterance embeddings in the HDF5 cache.
#include <string>
#include <vector>

#include "daf/extract/extract_config.h"

namespace daf {

struct ExtractionResult {
  std::string output;            // the cache written (the shard's file with extract.shard)
  std::string report;            // skipped-utterance CSV
  bool already_complete = false; // the output already held this job's results
  int64_t utterances = 0;        // rows in the output
  int64_t skipped = 0;
  std::vector<std::string> pass_summaries;  // one line per encoder pass
};

ExtractionResult run_extraction(const ExtractConfig& config);

// Combines the shard caches of one job (extract.shard K/N) into `output`:
// every shard 1..N exactly once, all from the same job, each with the rows it
// should hold; rows in manifest order. InputError listing what is missing.
void merge_extract_shards(const std::vector<std::string>& shards, const std::string& output);

// The follow-up step of a job array: merges <output stem>.shard-K-of-N.h5 for
// K = 1..N into extract.output. InputError naming every shard that is missing
// (and whether it was interrupted, i.e. left a .partial file) before merging.
void collect_extract_shards(const ExtractConfig& config, int64_t shard_count);

}  // namespace daf
