#pragma once
// Adam / AdamW over one flat buffer. The fusion head has ~20 small parameter
// tensors; stepping them one by one costs ~130 tiny LibTorch calls per batch,
// which dominated a batch-32 step. Here every parameter and gradient is a view
// into one contiguous tensor, so zeroing, clipping and the update are a
// handful of calls whatever the number of parameters. The arithmetic per
// element is torch::optim::Adam's / AdamW's.
//
// Stacked models (several runs trained as one, see model/stacked_fusion_head.h)
// use `rows` > 1: every parameter then has the runs as its first dimension and
// the buffer is [rows, P], row r holding run r's parameters in the order of a
// single model's flat buffer. Clipping is per row, so each run is clipped as
// it would be alone; save_row() writes a row as a single run's optimizer state.
#include <torch/torch.h>

#include <vector>

namespace daf {

struct FlatAdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double weight_decay = 0;
  bool decoupled = false;  // AdamW
};

class FlatAdam {
 public:
  // Re-homes `parameters` (and their gradients) into flat buffers. With rows > 1
  // every parameter's first dimension must be `rows`.
  FlatAdam(std::vector<torch::Tensor> parameters, FlatAdamOptions options, int64_t rows = 1);

  // Points `parameters` (the same list, in the same order) back into the flat
  // buffers, taking their current values. Needed after anything that replaces
  // parameter storage, such as Module::load.
  void attach(std::vector<torch::Tensor> parameters);

  // Stacked runs with their own learning rate and weight decay (one value per
  // row); by default every row has the options' values.
  void set_row_rates(std::vector<double> lr, std::vector<double> weight_decay);

  void zero_grad() { grads_.zero_(); }
  // Scales each row's gradients so their L2 norm is at most max_norm (as
  // clip_grad_norm_). On the CPU the scaling is applied inside step(), so the
  // gradients read between the two calls are unscaled.
  void clip_grad_norm(double max_norm);
  // The same with a limit per row; a row whose limit is 0 is not clipped.
  void clip_grad_norm(const std::vector<double>& max_norms);
  void step();
  // step(), then every gradient is 0, ready for the next backward: on the CPU
  // the update pass clears each gradient as it reads it, so the training loop
  // needs no zero_grad() pass (the buffer starts at 0).
  void step_and_zero_grad();

  int64_t rows() const { return values_.size(0); }
  // Keeps only rows `keep` (ascending), e.g. when stacked runs stop early;
  // `parameters` are re-pointed into the smaller buffers.
  void keep_rows(const std::vector<int64_t>& keep, std::vector<torch::Tensor> parameters);

  void save(torch::serialize::OutputArchive& archive) const { save_row(archive, 0); }
  void save_row(torch::serialize::OutputArchive& archive, int64_t row) const;
  void load(torch::serialize::InputArchive& archive) { load_row(archive, 0); }
  // Row `row` from a single run's state (save_row's format). Stacked rows
  // share one step count, so every row loaded must have the same.
  void load_row(torch::serialize::InputArchive& archive, int64_t row);

 private:
  FlatAdamOptions options_;
  // One pass over the buffers (CPU, float): clip scale, weight decay, moments
  // and update, instead of ~10 passes of LibTorch operations.
  void fused_cpu_step(double bias_correction1, double bias_correction2_sqrt, bool zero_grad);
  void update(bool zero_grad);

  torch::Tensor values_, grads_, exp_avg_, exp_avg_sq_;  // [rows, P]
  std::vector<float> clip_scale_;  // per row, pending until step() on the CPU
  std::vector<double> lr_, weight_decay_;  // per row
  int64_t steps_ = 0;
};

}  // namespace daf
