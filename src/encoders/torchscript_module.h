#pragma once
// Loading TorchScript encoders and describing their inputs and outputs in
// error messages. Private to the encoders module.
#include <torch/script.h>

#include <string>
#include <vector>

namespace daf::encoders {

// torch::jit::load with InputError naming the file; the module is put in eval mode on `device`.
torch::jit::Module load_module(const std::string& path, const torch::Device& device);

// InputError unless forward() takes exactly the named tensor arguments (besides self).
void check_forward_arity(const torch::jit::Module& module, const std::string& path,
                         const std::string& expected_signature, size_t arguments);
// forward()'s arguments besides self, as "name: type".
std::vector<std::string> forward_arguments(const torch::jit::Module& module);
// "[30522, 768] (embeddings.word_embeddings.weight)": the first 2-D parameter whose name
// says embedding, or "" when there is none.
std::string describe_embedding_table(const torch::jit::Module& module, int64_t* rows = nullptr);

// "float [2, 7, 16]", "(float [2, 7, 16], int64 [2])", "None", ...
std::string describe(const torch::IValue& value);
std::string describe(const torch::Tensor& tensor);

// Runs forward() without autograd; a failure inside the module becomes an
// InputError naming the encoder and the input shapes (first line of the error only).
torch::IValue run_forward(torch::jit::Module& module, const std::string& path, std::vector<torch::IValue> inputs);

}  // namespace daf::encoders
