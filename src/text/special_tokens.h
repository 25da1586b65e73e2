#pragma once
// Special tokens written in the text ("[SEP]", "<s>") are taken as those tokens before
// any normalisation, as Hugging Face's AddedVocabulary does for tokens with
// normalized=false: the leftmost match wins, the longest at one position. A token with
// lstrip (RoBERTa's <mask>) also takes the whitespace before it, up to the previous token.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace daf::text {

struct TextPart {
  std::string text;  // the raw text of a part between special tokens, or the token itself
  int64_t special_id = -1;  // >= 0: this part is a special token
};

class SpecialTokens {
 public:
  void add(const std::string& token, int64_t id, bool lstrip = false);
  bool empty() const { return tokens_.empty(); }
  // The text cut at every special token; parts of plain text are never empty.
  std::vector<TextPart> split(const std::string& text) const;
  // Appends the special tokens' ids and pieces, and calls `plain` for the text between them.
  void encode(const std::string& text, std::vector<int64_t>& ids, std::vector<std::string>& pieces,
              const std::function<void(const std::string&)>& plain) const;

 private:
  struct Token {
    std::string text;
    int64_t id;
    bool lstrip;
  };
  std::vector<Token> tokens_;
};

}  // namespace daf::text
