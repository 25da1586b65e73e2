#include "daf/train/runtime.h"

#include <thread>

#include "daf/util/error.h"

namespace daf {

int64_t configure_threads(int64_t threads) {
  const int64_t n = threads > 0 ? threads : std::max<int64_t>(1, std::thread::hardware_concurrency());
  torch::set_num_threads(static_cast<int>(n));
  return n;
}

torch::Device select_device(const std::string& name) {
  if (name == "cuda") {
    if (!torch::cuda::is_available())
      throw InputError("train.device=cuda, but " +
                       std::string(torch::cuda::device_count() == 0 ? "no CUDA GPU is visible or this LibTorch was built "
                                                                      "without CUDA"
                                                                    : "CUDA is not usable") +
                       " (use train.device=cpu, or build against an official CUDA LibTorch, see README)");
    return torch::Device(torch::kCUDA);
  }
  return torch::Device(torch::kCPU);
}

}  // namespace daf
