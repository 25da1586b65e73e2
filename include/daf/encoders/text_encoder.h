#pragma once
// A frozen TorchScript text encoder. Contract:
//   forward(input_ids: int64 [B, T], attention_mask: int64 [B, T])
//     -> float [B, T, D]  (pooled here: masked mean or first token)
//      | float [B, D]     (the module pools itself: pooling "module")
//      | (float [B, T, D], float [B, D], ...)  (a tuple; its second element is the module's pooled output)
// The header stays torch-free; the module lives behind a pointer.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "daf/data/embedding_cache.h"

namespace daf {

// Padded token ids and attention mask, row-major [rows, length].
struct TokenBatch {
  int64_t rows = 0;
  int64_t length = 0;
  std::vector<int64_t> ids;
  std::vector<int64_t> mask;
};

class TextEncoder {
 public:
  // pooling: mean | first | module. InputError when the file is not a TorchScript module
  // or its forward() does not take two tensors.
  TextEncoder(const std::string& path, const std::string& pooling, const std::string& device);
  ~TextEncoder();

  // Runs `probe` and checks the output against the contract and the pooling;
  // returns D. InputError with the expected and actual shapes.
  int64_t check_contract(const TokenBatch& probe);
  // Pooled embeddings [rows, D], computed without autograd.
  FeatureMatrix encode(const TokenBatch& batch);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace daf
