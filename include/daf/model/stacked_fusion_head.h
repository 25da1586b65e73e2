#pragma once
// S fusion heads of the same shape evaluated as one model: every parameter is
// stacked over the heads ([S, ...]) and each layer is one batched matrix
// product (baddbmm) instead of S small ones. Each head sees its own batch
// ([S, B, ...] inputs) and draws its own dropout masks from its own generator,
// in the order FusionHead draws them, so a stacked head computes what the S
// heads would compute separately (up to float rounding). The arithmetic
// mirrors FusionHeadImpl::forward line by line.
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "daf/model/fusion_head.h"

namespace daf {

struct FusedProjection;  // src/model/fused_projection.h: a block of the fused training passes

struct StackedOutput {
  torch::Tensor output;   // [S, B] for regression, [S, B, C] logits otherwise
  torch::Tensor weights;  // [S, B, M]; undefined for concat fusion
};

// How training computes the head on the CPU (train.kernels): LibTorch's
// operations under autograd, or fused passes for the projection blocks, the
// hidden layers of the gate and the head (src/model/fused_projection.h) and
// the fusion softmax (src/model/fused_gate.h). Both compute the same up to float rounding;
// autograd stays as the oracle the fused passes are tested against.
enum class HeadKernels { kAutograd, kFused };

class StackedFusionHead {
 public:
  // Copies the heads' parameters. They must share input dims and every
  // shape-defining key; their dropout rates and gate temperature may differ
  // (each head computes with its own).
  explicit StackedFusionHead(const std::vector<FusionHead>& heads, HeadKernels kernels = HeadKernels::kAutograd);

  int64_t size() const { return parameters_.front().size(0); }
  // The stacked leaves, in the order of a single head's parameters().
  const std::vector<torch::Tensor>& parameters() const { return parameters_; }

  // inputs[m]: [S, B, D_m]; present: [S, B, M]. With `generators` (one per head)
  // dropout is applied (training); without, the heads run in evaluation mode.
  StackedOutput forward(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present,
                        std::vector<at::Generator>* generators = nullptr) const;

  // Training on a regression task with fused kernels: each head's mean loss
  // on `target` [S, B] (L1, or MSE where mse[s]), what task_loss_per_run
  // computes on forward()'s output, with the output layer and the loss as one
  // fused node (src/model/fused_loss.h). Only where fused_regression_available().
  bool fused_regression_available() const;
  torch::Tensor regression_losses(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present,
                                  std::vector<at::Generator>* generators, const torch::Tensor& target,
                                  const std::vector<uint8_t>& mse) const;

  // The whole training step without an autograd graph over the head
  // (src/model/stacked_step.cpp): the forward pass and then its backward by
  // hand, each head's loss weighted 1 (the gradient of their sum), the
  // gradients added into the parameters' .grad; returns the losses [S]. The
  // same numbers as the fused autograd nodes and backward(), bit for bit: the
  // same kernels in the same order, without the graph, its nodes and their
  // saved tensors, which cost as much as the arithmetic at batch 32. Only where
  // fused_step_available(): fused kernels, a BLAS for the output layer and
  // every .grad allocated with dense rows (FlatAdam's buffer).
  bool fused_step_available() const;
  // Regression: what regression_losses() and backward() compute.
  torch::Tensor regression_step(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present,
                                std::vector<at::Generator>* generators, const torch::Tensor& target,
                                const std::vector<uint8_t>& mse) const;
  // Any task: what loss(forward().output).sum().backward() computes, where
  // `loss` maps the output (as forward() returns it) to the losses [S]; it is
  // differentiated by LibTorch's autograd over the loss alone.
  torch::Tensor training_step(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present,
                              std::vector<at::Generator>* generators,
                              const std::function<torch::Tensor(const torch::Tensor&)>& loss) const;

  // Keeps only heads `keep` (ascending) of the per-head settings; called with
  // FlatAdam::keep_rows, which shrinks the parameters.
  void keep_heads(const std::vector<int64_t>& keep);

  // Writes head `row`'s current parameters into `head`.
  void copy_row_to(int64_t row, FusionHead& head) const;

 private:
  struct Linear {
    torch::Tensor weight;  // [S, out, in]
    torch::Tensor bias;    // [S, out]; undefined without bias
    torch::Tensor operator()(const torch::Tensor& x) const;  // x: [S, B, in]
  };
  struct Norm {
    torch::Tensor weight, bias;  // [S, d]
  };

  // The step of regression_step and training_step up to the output layer's
  // input z and back from it: output_loss computes the losses [S] from z and
  // sets grad_z, their sum's gradient with respect to z.
  torch::Tensor graph_free_step(
      const std::vector<torch::Tensor>& inputs, const torch::Tensor& present, std::vector<at::Generator>* generators,
      const std::function<torch::Tensor(const torch::Tensor& z, torch::Tensor& grad_z)>& output_loss) const;
  // forward() up to the output layer: `output` holds its input z [S, B, h].
  StackedOutput hidden(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present,
                       std::vector<at::Generator>* generators) const;
  torch::Tensor activate(const torch::Tensor& x, const std::string& activation) const;
  // dropout(activation(x W^T + b)): a hidden layer of the gate or the head.
  torch::Tensor dense(const Linear& layer, const torch::Tensor& x, const std::string& activation,
                      const torch::Tensor& mask, const std::vector<double>& rates) const;
  static std::vector<double> keep_rates(const std::vector<double>& rates);  // 1 - rate, per head
  // Undefined when there is no dropout (evaluation, or p = 0 for every head);
  // a head with p = 0 draws nothing, as it does alone.
  torch::Tensor dropout_masks(std::vector<int64_t> shape, const std::vector<double>& p,
                              std::vector<at::Generator>* generators) const;
  torch::Tensor dropout(const torch::Tensor& x, const torch::Tensor& mask, const std::vector<double>& p) const;
  // x [S, ...] divided row by row by per-head values: by one number when all are
  // the same (a single head's arithmetic), else by an [S, 1, ...] column.
  torch::Tensor divide_rows(const torch::Tensor& x, const std::vector<double>& divisors) const;
  torch::Tensor fusion_scores(const torch::Tensor& h, const torch::Tensor& present) const;
  // The fused blocks of modality m's projection and of a hidden layer.
  FusedProjection projection_block(size_t m) const;
  static FusedProjection dense_block(const Linear& layer, const std::string& activation);
  // The temperatures fused_gate divides by: each head's for dynamic and static
  // fusion, 1 for mean fusion (whose scores are all 0).
  std::vector<double> gate_temperatures() const;
  // Modality m's h_m = present * dropout(activation(norm(x W^T + b))).
  torch::Tensor project(size_t m, const torch::Tensor& x, const torch::Tensor& mask, const torch::Tensor& present) const;
  torch::Tensor& parameter(const std::string& name);

  HeadKernels kernels_;
  ModelConfig config_;  // the first head's; the shape-defining keys are every head's
  std::vector<double> dropout_, head_dropout_, temperature_;  // per head
  int64_t modalities_ = 0;
  int64_t outputs_ = 0;
  std::vector<std::string> names_;
  std::vector<torch::Tensor> parameters_;  // same TensorImpls as the fields below
  std::vector<Linear> projections_, head_layers_;
  std::vector<Norm> norms_;
  Linear gate_hidden_, gate_out_, head_out_;
  torch::Tensor static_logits_;  // [S, M]
};

}  // namespace daf
