// StackedFusionHead's training step without an autograd graph: the fused
// kernels' raw passes (projection_forward/backward and the gate's and the
// loss's), called in the order the autograd engine calls their nodes, with
// the gradients added where the nodes add them. Each parameter receives one
// contribution per step and the projections' output h two (the mix and the
// gate's scores), so the order of the backward calls cannot change a bit.
#include <algorithm>
#include <functional>

#include "daf/model/stacked_fusion_head.h"
#include "fused_gate.h"
#include "fused_loss.h"
#include "fused_projection.h"
#include "stacked_linear.h"

namespace daf {
namespace {

// Where a parameter's gradient goes; none for a layer without bias.
GradTarget grad_of(const torch::Tensor& leaf) { return leaf.defined() ? grad_target(leaf) : GradTarget{}; }

}  // namespace

bool StackedFusionHead::fused_step_available() const {
  return kernels_ == HeadKernels::kFused && linear_available(head_out_.weight) &&
         std::all_of(parameters_.begin(), parameters_.end(), [](const torch::Tensor& p) {
           return p.is_cpu() && p.scalar_type() == torch::kFloat && has_dense_grad(p);
         });
}

torch::Tensor StackedFusionHead::regression_step(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present,
                                                 std::vector<at::Generator>* generators, const torch::Tensor& target,
                                                 const std::vector<uint8_t>& mse) const {
  TORCH_CHECK(fused_regression_available(), "StackedFusionHead::regression_step: not a regression output");
  // The output layer and the loss as fused_regression_loss's node computes them.
  return graph_free_step(inputs, present, generators, [&](const torch::Tensor& z, torch::Tensor& grad_z) {
    LossTape tape;
    const auto losses = regression_loss_forward(z, head_out_.weight, head_out_.bias, target,
                                                std::vector<int64_t>(mse.begin(), mse.end()), tape);
    GradTarget weight = grad_of(head_out_.weight), bias = grad_of(head_out_.bias);
    grad_z = regression_loss_backward(torch::ones({size()}), head_out_.weight, tape, true, weight, bias);
    return losses;
  });
}

torch::Tensor StackedFusionHead::training_step(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present,
                                               std::vector<at::Generator>* generators,
                                               const std::function<torch::Tensor(const torch::Tensor&)>& loss) const {
  // The output layer as stacked_linear's node computes it; the loss and its
  // gradient by autograd over the loss alone, the graph forward() + backward()
  // would end with, so the gradient reaching the output layer is the same.
  return graph_free_step(inputs, present, generators, [&](const torch::Tensor& z, torch::Tensor& grad_z) {
    const auto logits = linear_forward(z, head_out_.weight, head_out_.bias);  // [S, B, outputs]
    torch::Tensor losses, grad_logits;
    {
      torch::AutoGradMode with_graph(true);
      const auto leaf = logits.detach().requires_grad_(true);
      losses = loss(outputs_ == 1 ? leaf.squeeze(2) : leaf);
      grad_logits = torch::autograd::grad({losses.sum()}, {leaf})[0];
    }
    GradTarget weight = grad_of(head_out_.weight), bias = grad_of(head_out_.bias);
    grad_z = linear_backward(grad_logits, z, head_out_.weight, true, weight, bias);
    return losses.detach();
  });
}

torch::Tensor StackedFusionHead::graph_free_step(
    const std::vector<torch::Tensor>& inputs, const torch::Tensor& present, std::vector<at::Generator>* generators,
    const std::function<torch::Tensor(const torch::Tensor& z, torch::Tensor& grad_z)>& output_loss) const {
  TORCH_CHECK(fused_step_available(), "StackedFusionHead: no step without a graph here");
  TORCH_CHECK(static_cast<int64_t>(inputs.size()) == modalities_, "expected ", modalities_, " modality inputs, got ",
              inputs.size());
  for (size_t m = 0; m < inputs.size(); ++m)
    TORCH_CHECK(fused_projection_available(inputs[m], projection_block(m)), "graph_free_step: modality ", m,
                " is not a CPU float tensor");
  torch::NoGradGuard no_grad;  // nothing here records a graph
  const int64_t heads = size(), batch = present.size(1);
  const bool concat = config_.fusion == "concat";
  const bool gated = modalities_ > 1 && config_.fusion == "dynamic";
  const bool joint = gated && config_.gate == "joint";

  // Forward, as hidden() computes it, keeping each pass's tape. A single head
  // draws its modality masks first, then the head's.
  const auto modality_masks = dropout_masks({modalities_, batch, config_.dim}, dropout_, generators);
  std::vector<ProjectionTape> projection_tapes(inputs.size());
  std::vector<torch::Tensor> projected;
  for (size_t m = 0; m < inputs.size(); ++m) {
    const auto index = static_cast<int64_t>(m);
    projected.push_back(projection_forward(inputs[m], projection_block(m),
                                           modality_masks.defined() ? modality_masks.select(1, index) : modality_masks,
                                           keep_rates(dropout_), present.select(2, index), projection_tapes[m]));
  }
  const auto h = torch::stack(projected, 2);  // [S, B, M, d]

  torch::Tensor z;
  GateTape gate_tape;
  ProjectionTape gate_hidden_tape;
  torch::Tensor gate_hidden;  // the gate's hidden layer's output, the input of gate_out
  if (concat) {
    z = h.reshape({heads, batch, -1});
  } else {
    torch::Tensor scores;
    if (gated) {
      const std::vector<double> no_dropout(static_cast<size_t>(heads), 0.0);
      const auto gate_input = joint ? h.reshape({heads, batch, -1}) : h.reshape({heads, batch * modalities_, -1});
      gate_hidden = projection_forward(gate_input, dense_block(gate_hidden_, "tanh"), {}, keep_rates(no_dropout), {},
                                       gate_hidden_tape);
      scores = linear_forward(gate_hidden, gate_out_.weight, gate_out_.bias).view({heads, batch, modalities_});
    } else {
      scores = fusion_scores(h, present);  // static: the logits; mean or one modality: zeros
    }
    z = gate_forward(h, scores, present, gate_temperatures(), gate_tape).z;
  }
  std::vector<ProjectionTape> head_tapes(head_layers_.size());
  for (size_t l = 0; l < head_layers_.size(); ++l) {
    const auto& layer = head_layers_[l];
    const auto mask = dropout_masks({batch, layer.weight.size(1)}, head_dropout_, generators);
    z = projection_forward(z, dense_block(layer, config_.activation), mask, keep_rates(head_dropout_), {},
                           head_tapes[l]);
  }
  // The output layer and the loss, forward and backward: d(sum of the losses)/d(each loss) is 1.
  torch::Tensor grad_z;
  const auto losses = output_loss(z, grad_z);

  // Backward.
  for (size_t l = head_layers_.size(); l-- > 0;) {
    ProjectionGrads grads{grad_of(head_layers_[l].weight), grad_of(head_layers_[l].bias), {}, {}};
    grad_z = projection_backward(grad_z, dense_block(head_layers_[l], config_.activation), head_tapes[l], true, grads);
  }
  torch::Tensor grad_h;
  if (concat) {
    grad_h = grad_z.view(h.sizes());
  } else {
    const auto grads = gate_backward(grad_z, {}, gate_tape);
    grad_h = grads.h;
    if (gated) {
      GradTarget out_w = grad_of(gate_out_.weight), out_b = grad_of(gate_out_.bias);
      const auto grad_hidden = linear_backward(grads.scores.view({heads, gate_hidden.size(1), -1}), gate_hidden,
                                               gate_out_.weight, true, out_w, out_b);
      ProjectionGrads hidden_grads{grad_of(gate_hidden_.weight), grad_of(gate_hidden_.bias), {}, {}};
      const auto grad_gate_input = projection_backward(grad_hidden, dense_block(gate_hidden_, "tanh"),
                                                       gate_hidden_tape, true, hidden_grads);
      grad_h = grad_h + grad_gate_input.view(h.sizes());
    } else if (static_logits_.defined()) {
      grad_of(static_logits_).tensor.add_(grads.scores.sum(1));
    }
  }
  for (size_t m = 0; m < inputs.size(); ++m) {
    ProjectionGrads grads{grad_of(projections_[m].weight), grad_of(projections_[m].bias), {}, {}};
    if (config_.layer_norm) {
      grads.norm_weight = grad_of(norms_[m].weight);
      grads.norm_bias = grad_of(norms_[m].bias);
    }
    projection_backward(grad_h.select(2, static_cast<int64_t>(m)), projection_block(m), projection_tapes[m], false,
                        grads);
  }
  return losses;
}

}  // namespace daf
