#pragma once
// "K/N": the K-th of N slices of a job (daf-ablate's and daf-extract's --shard).
#include <cstdint>
#include <string>
#include <utility>

namespace daf {

// {K, N} with 1 <= K <= N; InputError otherwise.
std::pair<int64_t, int64_t> parse_shard(const std::string& text);

}  // namespace daf
