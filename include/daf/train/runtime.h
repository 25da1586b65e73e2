#pragma once
// Process-wide LibTorch settings: threads and device.
#include <torch/torch.h>

#include <string>

namespace daf {

// threads == 0: one per core. Returns the number in use.
int64_t configure_threads(int64_t threads);

// "cpu" or "cuda"; InputError when CUDA is asked for but not available.
torch::Device select_device(const std::string& name);

}  // namespace daf
