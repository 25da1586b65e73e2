#pragma once
// GPT-2 / RoBERTa byte-level BPE as Hugging Face's tokenizers library runs it: the
// text is split with GPT-2's pattern (ICU regular expressions, Unicode classes), each
// piece's UTF-8 bytes become printable characters (GPT-2's bytes_to_unicode), and
// merges apply lowest rank first, leftmost first among equal ranks.
#include <unicode/uregex.h>

#include <list>
#include <map>
#include <memory>
#include <unordered_map>

#include "daf/text/tokenizer.h"
#include "text/special_tokens.h"
#include "text/vocab_files.h"

namespace daf::text {

// GPT-2's byte -> character table, as UTF-8 strings.
const std::vector<std::string>& byte_symbols();

class ByteLevelBpeTokenizer : public Tokenizer {
 public:
  explicit ByteLevelBpeTokenizer(const TokenizerConfig& config);
  ~ByteLevelBpeTokenizer() override;

  // GPT-2's pre-tokenization: the pieces of `text` (valid UTF-8), in order.
  std::vector<std::string> pre_tokenize(const std::string& text) const;
  // The ids of one pre-tokenized piece (its bytes mapped and merged).
  void word_ids(const std::string& word, std::vector<int64_t>& ids, std::vector<std::string>& pieces) const;

 protected:
  void tokenize(const std::string& text, std::vector<int64_t>& ids, std::vector<std::string>& pieces) const override;

 private:
  struct PairHash {
    size_t operator()(const std::pair<int64_t, int64_t>& p) const {
      return std::hash<int64_t>()(p.first * 1000003 + p.second);
    }
  };
  struct MergeRule {
    int64_t rank;
    int64_t id;
  };

  Vocabulary vocab_;
  std::vector<std::string> id_to_token_;
  std::unordered_map<std::pair<int64_t, int64_t>, MergeRule, PairHash> merges_;
  int64_t byte_ids_[256] = {};
  SpecialTokens special_;
  bool add_prefix_space_ = false;
  URegularExpression* pattern_ = nullptr;  // used by one thread at a time, like the tokenizer
  // Words seen before (Hugging Face keeps such a cache too); bounded.
  mutable std::unordered_map<std::string, std::vector<int64_t>> cache_;
};

}  // namespace daf::text
