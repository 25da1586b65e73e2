// Runs a head that daf-export wrote with plain LibTorch (nothing of daf is linked):
//   load_head head.pt   -> prints the outputs for 3 utterances of random features
#include <torch/script.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) return std::cerr << "usage: load_head head.pt\n", 2;
  torch::jit::Module head = torch::jit::load(argv[1]);
  c10::Dict<std::string, torch::Tensor> features, present;
  const auto dims = head.attr("input_dims").toIntList();
  const auto names = head.attr("modalities").toList();
  for (size_t m = 0; m < names.size(); ++m)
    features.insert(names.get(m).toStringRef(), torch::randn({3, dims.get(m)}));
  present.insert(names.get(0).toStringRef(), torch::tensor({1.0f, 1.0f, 0.0f}));  // row 3 lacks it
  const auto out = head.forward({features, present}).toGenericDict();
  for (const auto& item : out) std::cout << item.key().toStringRef() << ": " << item.value().toTensor() << "\n";
  std::cout << "task: " << head.attr("task").toStringRef() << "\n";
}
