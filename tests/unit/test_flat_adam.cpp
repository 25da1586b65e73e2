#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "daf/train/flat_adam.h"

namespace {

torch::nn::Sequential small_net() {
  return torch::nn::Sequential(torch::nn::Linear(5, 4), torch::nn::Tanh(), torch::nn::Linear(4, 1));
}

// Trains two copies of a net, one with LibTorch's optimizer, one with FlatAdam; returns the max parameter difference.
template <class Reference, class Options>
float train_both(bool decoupled, double weight_decay, double clip) {
  torch::manual_seed(0);
  auto a = small_net();
  auto b = small_net();
  {
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < a->parameters().size(); ++i) b->parameters()[i].copy_(a->parameters()[i]);
  }
  Reference reference(a->parameters(), Options(0.01).weight_decay(weight_decay));
  daf::FlatAdamOptions options;
  options.lr = 0.01;
  options.weight_decay = weight_decay;
  options.decoupled = decoupled;
  daf::FlatAdam flat(b->parameters(), options);
  for (int step = 0; step < 25; ++step) {
    const auto x = torch::randn({8, 5}), y = torch::randn({8, 1});
    reference.zero_grad();
    torch::mse_loss(a->forward(x), y).backward();
    if (clip > 0) torch::nn::utils::clip_grad_norm_(a->parameters(), clip);
    reference.step();
    flat.zero_grad();
    torch::mse_loss(b->forward(x), y).backward();
    if (clip > 0) flat.clip_grad_norm(clip);
    flat.step();
  }
  float worst = 0;
  for (size_t i = 0; i < a->parameters().size(); ++i)
    worst = std::max(worst, (a->parameters()[i] - b->parameters()[i]).abs().max().item<float>());
  return worst;
}

}  // namespace

TEST_CASE("flat Adam matches torch::optim::Adam and AdamW", "[train]") {
  auto check = [](float difference, float bound) {
    INFO("largest parameter difference " << std::scientific << difference);
    CHECK(difference < bound);
  };
  // 25 steps of float rounding: gcc's build stays below 1e-6, clang's (the
  // sanitizer build) reaches 1.1e-6; a wrong formula is off by ~1e-3.
  check(train_both<torch::optim::Adam, torch::optim::AdamOptions>(false, 0.0, 0.0), 5e-6f);
  check(train_both<torch::optim::Adam, torch::optim::AdamOptions>(false, 0.01, 0.0), 5e-6f);
  check(train_both<torch::optim::AdamW, torch::optim::AdamWOptions>(true, 0.01, 0.0), 5e-6f);
  check(train_both<torch::optim::Adam, torch::optim::AdamOptions>(false, 0.0, 0.05), 1e-5f);
}

TEST_CASE("flat Adam keeps parameters in one buffer across a reload", "[train]") {
  torch::manual_seed(1);
  auto net = small_net();
  daf::FlatAdam flat(net->parameters(), {});
  // Replace the storage as Module::load does, then re-attach: steps must reach the module again.
  {
    torch::NoGradGuard no_grad;
    for (auto& p : net->parameters()) p.set_(p.clone());
  }
  flat.attach(net->parameters());
  const auto before = net->parameters()[0].clone();
  flat.zero_grad();
  net->forward(torch::randn({4, 5})).sum().backward();
  flat.step();
  CHECK((net->parameters()[0] - before).abs().max().item<float>() > 0.0f);
}
