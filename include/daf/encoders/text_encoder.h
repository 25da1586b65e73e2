#pragma once
// A frozen TorchScript text encoder. Contract:
//   forward(input_ids: int64 [B, T], attention_mask: int64 [B, T])
//   or forward(input_ids, attention_mask, token_type_ids: int64 [B, T])  (BERT's three inputs; all 0 here)
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
  // or its forward() does not take two or three tensors.
  TextEncoder(const std::string& path, const std::string& pooling, const std::string& device);
  ~TextEncoder();

  // Runs `probe` and checks the output against the contract and the pooling;
  // returns D. InputError with the expected and actual shapes.
  int64_t check_contract(const TokenBatch& probe);
  // Runs a one-token text of id 0 and one of the tokenizer's largest id; InputError
  // naming both sizes when only the second fails (the embedding table is smaller).
  void check_vocabulary(int64_t tokenizer_vocab_size, const std::string& tokenizer_file);
  // 2 or 3: whether forward() takes token_type_ids.
  int inputs() const;
  // Pooled embeddings [rows, D], computed without autograd.
  FeatureMatrix encode(const TokenBatch& batch);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace daf
