#include "daf/util/shard.h"

#include <stdexcept>
#include <vector>

#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {

std::pair<int64_t, int64_t> parse_shard(const std::string& text) {
  const auto parts = split(text, '/');
  try {
    if (parts.size() == 2) {
      size_t used_k = 0, used_n = 0;
      const int64_t k = std::stoll(parts[0], &used_k), n = std::stoll(parts[1], &used_n);
      if (used_k == parts[0].size() && used_n == parts[1].size() && n >= 1 && k >= 1 && k <= n) return {k, n};
    }
  } catch (const std::exception&) {
  }
  throw InputError("--shard: expected K/N with 1 <= K <= N (e.g. 2/8), found '" + text + "'");
}

}  // namespace daf
