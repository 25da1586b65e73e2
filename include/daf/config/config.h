#pragma once
// The typed configuration of daf-train / daf-eval, one struct per YAML section.
// Defaults and help texts are declared once, in config/options.cpp.
#include <cstdint>
#include <string>

#include <vector>

#include "daf/config/class_weights.h"
#include "daf/config/modality_rates.h"

namespace daf {

class OptionSet;

struct DataConfig {
  std::string cache;                     // HDF5 embedding cache
  std::vector<std::string> modalities;   // modalities to use, in this order
  std::string target;                    // label column to predict (multilabel: see targets)
  std::vector<std::string> targets;      // multilabel: one label column per label
  std::vector<std::string> classes;      // multiclass: the class names, index order
  double presence_threshold = 0;         // multilabel: a label is present when its value exceeds this
  bool normalize = true;                 // z-score features with train-split statistics
  std::string nonfinite;                 // "error" or "zero"
  // One fold's parts (CSV id,part): the cache's splits pooled, then re-split by id
  // (data/split_file.h). Written by cross-validation for each fold's runs; empty: the
  // cache's own train/valid/test.
  std::string split_file;
};

struct ModelConfig {
  std::string task;        // regression | binary | seven_class | multiclass | multilabel
  std::string fusion;      // dynamic | static | mean | concat
  std::string gate;        // additive | joint (dynamic fusion only)
  int64_t gate_hidden = 0;
  double temperature = 1;
  int64_t dim = 0;
  std::string activation;  // relu | gelu | tanh
  bool layer_norm = true;
  double dropout = 0;
  int64_t head_hidden = 0;
  int64_t head_layers = 0;
  double head_dropout = 0;
};

struct TrainConfig {
  std::string optimizer;  // adam | adamw
  double lr = 0;
  double weight_decay = 0;
  int64_t batch_size = 0;
  int64_t max_epochs = 0;
  int64_t patience = 0;
  std::string early_stop_metric;
  double grad_clip = 0;
  std::string loss;  // l1 | mse (regression)
  ClassWeights class_weights;  // classification: per class weights of the cross-entropy
  ClassWeights pos_weight;     // multilabel: weight of each label's positive term
  ModalityRates modality_dropout;  // per modality, or one rate for all
  int64_t seed = 0;
  int64_t threads = 0;
  std::string device;   // cpu | cuda
  std::string kernels;  // fused | autograd (how training computes the head on the CPU)
};

// Cross-validation (docs/cross-validation.md): k-fold over utterances, or grouped
// k-fold / leave-one-group-out over a meta column. Off unless `by` or `folds` is set.
struct CvConfig {
  std::string by;                  // meta column of the groups ("": k-fold over utterances)
  int64_t folds = 0;               // k; with `by`, 0 = one fold per group (leave-one-group-out)
  bool stratify = true;            // k-fold on class tasks: class shares kept per fold
  int64_t seed = 0;                // k-fold order, validation carve-out
  std::vector<std::string> pool;   // cache splits pooled before folding
  std::string valid_by;            // meta column the validation part is carved out by ("": rows)
  double valid_fraction = 0;       // of each fold's training rows

  bool enabled() const { return !by.empty() || folds > 0; }
};

struct OutputConfig {
  std::string dir;
  bool overwrite = false;
  bool resume = true;
  std::string log_level;
};

struct Config {
  DataConfig data;
  ModelConfig model;
  TrainConfig train;
  CvConfig cv;
  OutputConfig output;
};

// Binds every option of `config` into `options`, setting each field to its default.
void declare_options(OptionSet& options, Config& config);

// Defaults, then `file` (if not empty), then the "key=value" overrides; validated.
Config load_config(const std::string& file, const std::vector<std::string>& overrides);
// The same with the config's YAML text given directly; `origin` names it in errors.
Config load_config_text(const std::string& yaml, const std::string& origin, const std::vector<std::string>& overrides);
// The resolved config as YAML (what goes into a run directory).
std::string config_to_yaml(const Config& config);

// Metric names that train.early_stop_metric accepts for a task.
std::vector<std::string> early_stop_metrics(const std::string& task);
// True when a larger value of `metric` is better (accuracy), false for MAE and loss.
bool metric_higher_is_better(const std::string& metric);

}  // namespace daf

namespace daf {

// "key: old -> new" for every option that differs between two configs, except
// those that cannot change results (output.*, train.threads).
std::vector<std::string> config_differences(const Config& before, const Config& after);

}  // namespace daf
