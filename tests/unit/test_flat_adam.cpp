#include <algorithm>
#include <torch/torch.h>

#include "catch.h"
#include <sstream>

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

TEST_CASE("stacked rows with their own learning rate and weight decay step as they do alone", "[train]") {
  // Float parameters on the CPU take the fused step, double ones the LibTorch
  // operations (as on a GPU): both must give each row its own rates.
  for (const auto dtype : {torch::kFloat, torch::kDouble})
    for (const bool decoupled : {false, true}) {
      INFO((dtype == torch::kFloat ? "float" : "double") << (decoupled ? " AdamW" : " Adam"));
      torch::manual_seed(3);
      const std::vector<double> lr = {0.01, 0.003, 0.03}, weight_decay = {0.0, 0.05, 0.01};
      auto stacked = torch::randn({3, 6}, dtype).requires_grad_(true);
      std::vector<torch::Tensor> alone;
      for (int64_t r = 0; r < 3; ++r) alone.push_back(stacked[r].detach().clone().requires_grad_(true));
      daf::FlatAdamOptions options;
      options.decoupled = decoupled;
      daf::FlatAdam together({stacked}, options, 3);
      together.set_row_rates(lr, weight_decay);
      std::vector<std::unique_ptr<daf::FlatAdam>> single;
      for (size_t r = 0; r < 3; ++r) {
        daf::FlatAdamOptions own = options;
        own.lr = lr[r];
        own.weight_decay = weight_decay[r];
        single.push_back(std::make_unique<daf::FlatAdam>(std::vector<torch::Tensor>{alone[r]}, own));
      }
      for (int step = 0; step < 10; ++step) {
        const auto target = torch::randn({3, 6}, dtype);
        together.zero_grad();
        (stacked - target).square().sum().backward();
        together.clip_grad_norm({0.0, 0.5, 0.0});  // only row 1 clipped
        together.step();
        for (size_t r = 0; r < 3; ++r) {
          single[r]->zero_grad();
          (alone[r] - target[static_cast<int64_t>(r)]).square().sum().backward();
          if (r == 1) single[r]->clip_grad_norm(0.5);
          single[r]->step();
        }
      }
      for (int64_t r = 0; r < 3; ++r) {
        const double difference = (stacked[r] - alone[static_cast<size_t>(r)]).abs().max().item<double>();
        // Fused: the same float operations, bit for bit; LibTorch's: per-row columns round differently.
        CHECK(difference <= (dtype == torch::kFloat ? 0.0 : 1e-12));
      }
    }
}

TEST_CASE("a stacked row's optimizer state is saved without the other rows", "[train]") {
  // A saved view carries its whole storage: every row's moments, written every
  // epoch for every run of the stack (checkpoints 15x larger, sweeps 2.6x slower).
  const auto saved_bytes = [](int64_t rows) {
    auto p = torch::randn({rows, 20000}).requires_grad_(true);
    daf::FlatAdam optimizer({p}, {}, rows);
    torch::serialize::OutputArchive archive;
    optimizer.save_row(archive, rows - 1);
    std::ostringstream bytes;
    archive.save_to(bytes);
    return static_cast<double>(bytes.str().size());
  };
  const double one = saved_bytes(1), of_eight = saved_bytes(8);
  INFO("one row alone: " << one << " bytes; one row of eight: " << of_eight << " bytes");
  CHECK(of_eight < 1.1 * one);
}

TEST_CASE("step_and_zero_grad is step() then zero_grad(), in one pass", "[train]") {
  // Stacked rows with clipping (one row clipped, one not) and weight decay: the fused CPU pass and
  // LibTorch's path (a double buffer) both, bitwise against step() + zero_grad().
  for (const auto dtype : {torch::kFloat, torch::kDouble}) {
    torch::manual_seed(3);
    auto one = torch::randn({2, 6, 5}, dtype).requires_grad_(), two = one.detach().clone().requires_grad_();
    daf::FlatAdamOptions options;
    options.weight_decay = 0.01;
    daf::FlatAdam separate({one}, options, 2), fused({two}, options, 2);
    for (int step = 0; step < 4; ++step) {
      const auto x = torch::randn({2, 5, 3}, dtype);
      separate.zero_grad();
      torch::matmul(one, x).pow(2).sum().backward();
      separate.clip_grad_norm({0.5, 0.0});
      separate.step();
      torch::matmul(two, x).pow(2).sum().backward();  // no zero_grad(): the last step cleared them
      fused.clip_grad_norm({0.5, 0.0});
      fused.step_and_zero_grad();
      CHECK(torch::equal(one, two));
      CHECK(two.grad().abs().max().item<double>() == 0.0);
    }
  }
}
