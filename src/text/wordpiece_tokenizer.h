#pragma once
// BERT's tokenizer as Hugging Face's tokenizers library runs it for bert-base-uncased:
// BertNormalizer (clean text, CJK split, accents, lower case), BertPreTokenizer
// (whitespace and punctuation), WordPiece (greedy longest match, "##" continuations,
// words over 100 characters -> [UNK]).
#include "daf/text/tokenizer.h"
#include "text/special_tokens.h"
#include "text/vocab_files.h"

namespace daf::text {

class WordPieceTokenizer : public Tokenizer {
 public:
  explicit WordPieceTokenizer(const TokenizerConfig& config);

  // The steps, public for the unit tests.
  std::u32string normalize(const std::u32string& text) const;
  static std::vector<std::u32string> pre_tokenize(const std::u32string& normalized);
  // Appends the pieces of one word.
  void word_pieces(const std::u32string& word, std::vector<int64_t>& ids, std::vector<std::string>& pieces) const;

 protected:
  void tokenize(const std::string& text, std::vector<int64_t>& ids, std::vector<std::string>& pieces) const override;

 private:
  Vocabulary vocab_;
  SpecialTokens special_;
  bool lowercase_ = true;
  bool strip_accents_ = true;
  int64_t unk_id_ = -1;
  size_t longest_token_ = 0;  // bytes
  std::string unk_piece_;
};

}  // namespace daf::text
