#pragma once
// Slices of the test utterances, for asking *where* one fusion beats another:
// each family splits the utterances into disjoint slices.
//   conflict      the two unimodal conditions named predict opposite polarity
//                 (regression: one > 0, the other < 0, seed-averaged) or
//                 different classes (class tasks: the seeds' majority class);
//                 "conflicting" / "agreeing"
//   disagreement  (regression) quantile bins of |prediction A - prediction B|
//   intensity     regression: bins of |label| at the given edges; class tasks:
//                 one slice per true class
//   gate_entropy  quantile bins of the normalised entropy of a gated
//                 condition's seed-averaged fusion weights, H(w) / log(M)
//   degraded      which modalities were absent (present = 0) or corrupted (a
//                 cache label noisy_<modality> = 1, as daf-synth writes them):
//                 "none", "text corrupted", "audio absent + text corrupted", ...
//                 (a cache that records neither: every utterance in "none")
//   column        a per-utterance label column of the cache: one slice per
//                 value (integer values, at most 20 of them), else quantile bins
//   cross         two families crossed: one slice per combination, "a × b"
// Slices smaller than `min_size` utterances are pooled into "other" (column
// values) or kept and reported (the others: an empty slice is reported, not dropped).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "daf/analysis/paired_comparison.h"

namespace daf {

struct SliceSettings {
  std::vector<std::string> conflict;        // two unimodal conditions; empty: no conflict/disagreement families
  int64_t disagreement_bins = 3;            // 0: no disagreement family
  bool intensity = false;
  std::vector<double> intensity_bins;       // regression: increasing |label| edges
  std::string gate_condition;               // empty: no gate_entropy family
  int64_t gate_bins = 3;
  bool degraded = false;
  std::vector<std::string> columns;
  std::vector<std::string> cross;           // two family names, or empty
  int64_t min_size = 30;
  int64_t permutations = 1000;
  int64_t top = 20;
  bool enabled() const;
};

// Everything the slices are made from, for the test utterances in one order.
struct SliceData {
  std::string task;
  std::vector<std::string> ids;
  std::map<std::string, std::map<int64_t, RunPredictions>> conditions;  // condition -> seed -> predictions
  std::map<std::string, std::vector<float>> columns;   // the cache's label columns (noisy_text, ...), by id order
  std::map<std::string, std::vector<uint8_t>> present; // the cache's present masks, by id order
  std::map<std::string, std::vector<std::string>> meta; // the cache's meta/ columns (speaker, ...), by id order
  std::vector<std::string> class_names;                 // class tasks, where known
};

struct Slice {
  std::string family, name;
  Indices rows;
};

// The columns slices read from a cache's `splits` (label and meta columns, present masks and,
// when `transcripts` is given, the transcripts) into `data`, in the order of data.ids; several
// splits: those cross-validation pooled, whose ids are unique across them.
// `modality`: one modality of the cache (features are not needed; the fewest are read).
// InputError for an id the splits lack (the cache replaced since the predictions?).
void read_slice_columns(const std::string& cache, const std::vector<std::string>& splits, const std::string& modality,
                        SliceData& data, std::vector<std::string>* transcripts = nullptr);

// The slices of every family the settings ask for, families in the order above and
// slices in a fixed order within each. InputError naming the setting for what the data
// cannot give (a missing column, a condition without fusion weights, ...).
std::vector<Slice> make_slices(const SliceSettings& settings, const SliceData& data);

// Normalised entropy H(w) / log(M) of weights that sum to 1 (0 log 0 = 0); 0 for M < 2.
double normalized_entropy(const std::vector<double>& weights);
// The interior edges that cut `values` into `bins` bins of (nearly) equal counts: the k/bins
// quantiles, k = 1..bins-1 (numpy.quantile's default linear interpolation).
std::vector<double> quantile_edges(std::vector<double> values, int64_t bins);
// Bin of x for interior edges q_1 <= ... <= q_{k-1}: the number of edges <= x (0..k-1).
int64_t quantile_bin(double x, const std::vector<double>& edges);
// Bin of x for outer and inner edges e_0 < ... < e_k: i with e_i <= x < e_{i+1}, the
// last bin closed at e_k; -1 outside [e_0, e_k].
int64_t bin_of(double x, const std::vector<double>& edges);

}  // namespace daf
