// Every option of the training/evaluation config, declared once with its
// default and help. The order here is the order of the dumped config.yaml.
#include "daf/config/config.h"
#include "daf/config/option_set.h"

namespace daf {
namespace {

void declare_data(OptionSet& o, DataConfig& c) {
  o.add("data.cache", c.cache, "", "HDF5 embedding cache (see docs/cache-format.md); relative to the working directory");
  o.add("data.modalities", c.modalities, {"text", "audio", "video"},
        "modalities to fuse, in order; one modality gives a unimodal baseline");
  o.add("data.target", c.target, "sentiment",
        "label column (labels/<name>) to predict; for multiclass it holds class indices 0..C-1");
  o.add("data.targets", c.targets, {},
        "multilabel: the label columns, one per label (MOSEI: [happiness, sadness, anger, surprise, disgust, fear])");
  o.add("data.classes", c.classes, {},
        "multiclass: the class names in index order ([neutral, happy, sad, angry]); must match the names a "
        "cache records for data.target");
  o.add("data.presence_threshold", c.presence_threshold, 0.0,
        "multilabel: a label is present when its value exceeds this (MOSEI's emotion intensities: > 0)");
  o.add("data.normalize", c.normalize, true,
        "z-score each feature with statistics of the train split (stored with the model)");
  o.add("data.nonfinite", c.nonfinite, "error", "what to do with NaN/Inf features: fail, or replace them by 0",
        {"error", "zero"});
  o.add("data.split_file", c.split_file, "",
        "CSV id,part (part: train, valid or test): the cache's splits pooled and re-split by utterance id, rows "
        "not listed unused; cross-validation writes one per fold (folds/fold-<f>.csv); empty: the cache's splits");
}

void declare_model(OptionSet& o, ModelConfig& c) {
  o.add("model.task", c.task, "regression",
        "regression of the target, or classification of it: binary (target >= 0) or seven_class "
        "(round(clip(target, -3, 3))); multiclass: the target holds class indices (data.classes); "
        "multilabel: one present/absent decision per column of data.targets",
        {"regression", "binary", "seven_class", "multiclass", "multilabel"});
  o.add("model.fusion", c.fusion, "dynamic",
        "dynamic: per-utterance softmax gate (DAF); static: learned input-independent weights; "
        "mean: equal weights; concat: concatenation of the projections",
        {"dynamic", "static", "mean", "concat"});
  o.add("model.gate", c.gate, "additive",
        "gate scorer of dynamic fusion: additive (e_m = v^T tanh(U h_m + b), shared across modalities) or "
        "joint (an MLP over all projections)",
        {"additive", "joint"});
  o.add("model.gate_hidden", c.gate_hidden, 64, "hidden size of the gate scorer", Range::at_least(1));
  o.add("model.temperature", c.temperature, 1.0, "softmax temperature of dynamic and static fusion",
        Range::above(0));
  o.add("model.dim", c.dim, 128, "size d of each modality projection h_m", Range::at_least(1));
  o.add("model.activation", c.activation, "relu", "activation of projections and head",
        {"relu", "gelu", "tanh"});
  o.add("model.layer_norm", c.layer_norm, true, "LayerNorm in each projection, before the activation");
  o.add("model.dropout", c.dropout, 0.1, "dropout after each projection", Range::half_open(0, 1));
  o.add("model.head_hidden", c.head_hidden, 128, "width of the head's hidden layers", Range::at_least(1));
  o.add("model.head_layers", c.head_layers, 1, "hidden layers of the head (0: a linear head)",
        Range::closed(0, 8));
  o.add("model.head_dropout", c.head_dropout, 0.1, "dropout in the head's hidden layers", Range::half_open(0, 1));
}

void declare_train(OptionSet& o, TrainConfig& c) {
  o.add("train.optimizer", c.optimizer, "adam", "optimizer", {"adam", "adamw"});
  o.add("train.lr", c.lr, 1e-3, "learning rate", Range::above(0));
  o.add("train.weight_decay", c.weight_decay, 0.0, "weight decay (L2 for adam, decoupled for adamw)",
        Range::at_least(0));
  o.add("train.batch_size", c.batch_size, 32, "utterances per training step", Range::at_least(1));
  o.add("train.max_epochs", c.max_epochs, 50, "upper bound on training epochs", Range::at_least(1));
  o.add("train.patience", c.patience, 8,
        "stop after this many epochs without improvement of train.early_stop_metric", Range::at_least(1));
  o.add("train.early_stop_metric", c.early_stop_metric, "auto",
        "validation metric that selects the best epoch; auto: MAE for regression, F1_weighted for binary and "
        "seven_class, UAR for multiclass, WA_mean for multilabel; also loss or any other summary metric of the task");
  o.add("train.grad_clip", c.grad_clip, 0.0, "clip the gradient's global L2 norm to this (0: off)",
        Range::at_least(0));
  o.add("train.loss", c.loss, "l1",
        "regression loss (classification uses cross-entropy, multilabel binary cross-entropy)", {"l1", "mse"});
  o.add("train.class_weights", c.class_weights,
        "classification: weights of the cross-entropy per class; balanced: n / (C * count of the class) over the "
        "train split (scikit-learn's compute_class_weight), or one number per class");
  o.add("train.pos_weight", c.pos_weight,
        "multilabel: weight of each label's positive term in the binary cross-entropy (PyTorch's pos_weight); "
        "balanced: negatives / positives of the label in the train split, or one number per label");
  o.add("train.modality_dropout", c.modality_dropout, 0.0,
        "probability of masking each modality of a training utterance (one modality always stays): one number, "
        "or one per modality ({text: 0.1, audio: 0.3}; modalities not named: 0)",
        Range::half_open(0, 1));
  o.add("train.seed", c.seed, 1111, "seed of initialisation, data order and dropout", Range::at_least(0));
  // The fusion head is small: on 2 cores a MOSEI-sized epoch at batch 32 ran at
  // 23.7k samples/s with 1 thread and 12.4k with 2 (thread wake-ups dominate).
  o.add("train.threads", c.threads, 1,
        "CPU threads for LibTorch inside one run (0: all cores); 1 is fastest for small heads, "
        "run several trainings side by side instead",
        Range::at_least(0));
  o.add("train.device", c.device, "cpu", "cpu, or cuda (needs a LibTorch built with CUDA and a GPU)",
        {"cpu", "cuda"});
  o.add("train.kernels", c.kernels, "fused",
        "how training computes the head on the CPU: fused (the projection blocks, the gate's and the head's hidden "
        "layers, the fusion softmax and, for regression, the output layer with the loss as fused passes forward "
        "and backward, the whole step without an autograd graph over the head; other tasks' losses by LibTorch; "
        "~2x faster per epoch at batch 32) "
        "or autograd (LibTorch's operations, the reference the fused passes are tested against). Both draw the "
        "same dropout masks and agree to float rounding, not bit for bit: runs that differ in this key do not "
        "stack or resume as one",
        {"fused", "autograd"});
}

void declare_cv(OptionSet& o, CvConfig& c) {
  o.add("cv.by", c.by, "",
        "cross-validation over groups: the meta column (session, speaker, video) whose groups are kept whole in "
        "one fold; empty with cv.folds set: k-fold over utterances");
  o.add("cv.folds", c.folds, 0,
        "number of folds; with cv.by, groups are assigned to this many folds (scikit-learn's GroupKFold), 0 "
        "giving one fold per group (leave-one-group-out); 0 without cv.by: no cross-validation",
        Range::at_least(0));
  o.add("cv.stratify", c.stratify, true,
        "k-fold over utterances on binary, seven_class and multiclass tasks: every fold keeps each class's "
        "share (floor or ceil of its count / k); ignored with cv.by and for regression and multilabel tasks");
  o.add("cv.seed", c.seed, 0, "seed of the k-fold order and of each fold's validation carve-out",
        Range::at_least(0));
  o.add("cv.pool", c.pool, {"train", "valid", "test"}, "the cache splits pooled before folding",
        {"train", "valid", "test"});
  o.add("cv.valid.by", c.valid_by, "",
        "meta column whose groups make each fold's validation part (whole groups of the training folds, in a "
        "seeded order, until cv.valid.fraction of the rows); empty: single utterances at random");
  o.add("cv.valid.fraction", c.valid_fraction, 0.2,
        "the share of each fold's training rows (all but the test fold) that goes to validation; with "
        "cv.valid.by whole groups are added until it is reached",
        Range{0, 0.5, false, true});
}

void declare_output(OptionSet& o, OutputConfig& c) {
  o.add("output.dir", c.dir, "runs/daf", "run directory for config, model, metrics and log");
  o.add("output.overwrite", c.overwrite, false, "replace a finished run in output.dir instead of failing");
  o.add("output.resume", c.resume, true,
        "continue an interrupted run in output.dir from its last epoch checkpoint (same config only)");
  o.add("output.log_level", c.log_level, "info", "log verbosity", {"debug", "info", "warn", "error"});
}

}  // namespace

void declare_options(OptionSet& options, Config& config) {
  declare_data(options, config.data);
  declare_model(options, config.model);
  declare_train(options, config.train);
  declare_cv(options, config.cv);
  declare_output(options, config.output);
}

}  // namespace daf
