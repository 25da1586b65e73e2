#pragma once
// Adam / AdamW over one flat buffer. The fusion head has ~20 small parameter
// tensors; stepping them one by one costs ~130 tiny LibTorch calls per batch,
// which dominated a batch-32 step. Here every parameter and gradient is a view
// into one contiguous tensor, so zeroing, clipping and the update are a
// handful of calls whatever the number of parameters. The arithmetic per
// element is torch::optim::Adam's / AdamW's.
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
  // Re-homes `parameters` (and their gradients) into flat buffers.
  FlatAdam(std::vector<torch::Tensor> parameters, FlatAdamOptions options);

  // Points `parameters` (the same list, in the same order) back into the flat
  // buffers, taking their current values. Needed after anything that replaces
  // parameter storage, such as Module::load.
  void attach(std::vector<torch::Tensor> parameters);

  void zero_grad() { grads_.zero_(); }
  // Scales gradients so their global L2 norm is at most max_norm (as clip_grad_norm_).
  void clip_grad_norm(double max_norm);
  void step();

  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  FlatAdamOptions options_;
  torch::Tensor values_, grads_, exp_avg_, exp_avg_sq_;
  int64_t steps_ = 0;
};

}  // namespace daf
