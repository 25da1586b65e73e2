#include "text/wordpiece_tokenizer.h"

#include <algorithm>

#include "daf/util/error.h"
#include "text/unicode.h"

namespace daf::text {
namespace {

constexpr size_t kMaxWordChars = 100;  // Hugging Face's max_input_chars_per_word
const std::string kContinuation = "##";

// BERT's definition: the CJK Unified Ideographs blocks (not Hiragana, Katakana or Hangul).
bool is_cjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

// Tab, newline and CR are control characters that BERT counts as whitespace.
bool is_bert_whitespace(char32_t c) { return c == '\t' || c == '\n' || c == '\r' || is_white_space(c); }
bool is_bert_control(char32_t c) { return c != '\t' && c != '\n' && c != '\r' && is_bert_other(c); }

// ASCII symbols count as punctuation for BERT even where Unicode says Sm/Sk/Sc ('$', '+', '^', '`').
bool is_bert_punctuation(char32_t c) {
  if (c < 0x80) return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
  return is_bert_punctuation_category(c);
}

std::string resolve_token(const std::string& configured, const char* standard) {
  return configured == "auto" ? std::string(standard) : configured;
}

}  // namespace

WordPieceTokenizer::WordPieceTokenizer(const TokenizerConfig& config) {
  vocab_ = read_vocab_txt(config.vocab, vocab_size_);
  for (const auto& entry : vocab_) longest_token_ = std::max(longest_token_, entry.first.size());
  files_ = {{"vocab", config.vocab}};
  lowercase_ = config.lowercase;
  strip_accents_ = config.strip_accents == "auto" ? config.lowercase : config.strip_accents == "true";
  max_length_ = config.max_length;
  const auto lookup = [&](const std::string& key, const std::string& token, bool required) -> int64_t {
    if (token.empty()) {
      if (required) throw InputError("text." + key + ": WordPiece needs one (BERT's is [UNK])");
      return -1;
    }
    const auto it = vocab_.find(token);
    if (it == vocab_.end())
      throw InputError(config.vocab + ": vocab.txt has no '" + token + "' (text." + key + "); set text." + key +
                       " to the vocabulary's own token" + (required ? "" : ", or \"\" for none"));
    return it->second;
  };
  const std::string bos = resolve_token(config.bos_token, "[CLS]");
  const std::string eos = resolve_token(config.eos_token, "[SEP]");
  const std::string pad = resolve_token(config.pad_token, "[PAD]");
  unk_piece_ = resolve_token(config.unk_token, "[UNK]");
  bos_id_ = lookup("bos_token", bos, false);
  eos_id_ = lookup("eos_token", eos, false);
  unk_id_ = lookup("unk_token", unk_piece_, true);
  const int64_t pad_id = lookup("pad_token", pad, false);
  pad_id_ = pad_id >= 0 ? pad_id : 0;
  bos_piece_ = bos;
  eos_piece_ = eos;
  if (config.match_special_tokens) {
    // bert-base-uncased's added tokens, plus whatever the config names.
    for (const std::string& token : {bos, eos, pad, unk_piece_, std::string("[MASK]"), std::string("[CLS]"),
                                    std::string("[SEP]"), std::string("[PAD]"), std::string("[UNK]")})
      if (const auto it = vocab_.find(token); !token.empty() && it != vocab_.end()) special_.add(token, it->second);
  }
}

std::u32string WordPieceTokenizer::normalize(const std::u32string& text) const {
  std::u32string cleaned;
  cleaned.reserve(text.size() + 8);
  bool ascii = true;
  for (const char32_t c : text) {
    if (c == 0 || c == 0xFFFD || is_bert_control(c)) continue;
    ascii = ascii && c < 0x80;
    if (is_bert_whitespace(c)) {
      cleaned.push_back(' ');
    } else if (is_cjk(c)) {
      cleaned.push_back(' ');
      cleaned.push_back(c);
      cleaned.push_back(' ');
    } else {
      cleaned.push_back(c);
    }
  }
  if (strip_accents_ && !ascii) {
    std::u32string kept;
    for (const char32_t c : nfd_unicode_8(cleaned))
      if (!is_bert_nonspacing_mark(c)) kept.push_back(c);
    cleaned.swap(kept);
  }
  if (!lowercase_) return cleaned;
  std::u32string lowered;
  lowered.reserve(cleaned.size());
  for (const char32_t c : cleaned) append_lowercase(lowered, c);
  return lowered;
}

std::vector<std::u32string> WordPieceTokenizer::pre_tokenize(const std::u32string& normalized) {
  std::vector<std::u32string> words;
  std::u32string word;
  const auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (const char32_t c : normalized) {
    if (is_white_space(c)) {
      flush();
    } else if (is_bert_punctuation(c)) {
      flush();
      words.push_back(std::u32string(1, c));
    } else {
      word.push_back(c);
    }
  }
  flush();
  return words;
}

void WordPieceTokenizer::word_pieces(const std::u32string& word, std::vector<int64_t>& ids,
                                     std::vector<std::string>& pieces) const {
  if (word.size() > kMaxWordChars) {
    ids.push_back(unk_id_);
    pieces.push_back(unk_piece_);
    return;
  }
  // The word's UTF-8 once, with each character's byte offset; candidates are byte ranges,
  // none longer than the vocabulary's longest token (it could not match).
  std::string bytes;
  std::vector<size_t> offsets;
  for (const char32_t c : word) {
    offsets.push_back(bytes.size());
    append_utf8(bytes, c);
  }
  offsets.push_back(bytes.size());
  const size_t first = ids.size();
  std::string piece;
  size_t start = 0;
  while (start < word.size()) {
    const size_t prefix = start > 0 ? kContinuation.size() : 0;
    size_t end = word.size();
    while (end > start && offsets[end] - offsets[start] + prefix > longest_token_) --end;
    int64_t found = -1;
    for (; end > start; --end) {
      piece.assign(prefix ? kContinuation : std::string());
      piece.append(bytes, offsets[start], offsets[end] - offsets[start]);
      if (const auto it = vocab_.find(piece); it != vocab_.end()) {
        found = it->second;
        break;
      }
    }
    if (found < 0) {  // one part cannot be built: the whole word is unknown
      ids.resize(first);
      pieces.resize(first);
      ids.push_back(unk_id_);
      pieces.push_back(unk_piece_);
      return;
    }
    ids.push_back(found);
    pieces.push_back(piece);
    start = end;
  }
}

void WordPieceTokenizer::tokenize(const std::string& text, std::vector<int64_t>& ids,
                                  std::vector<std::string>& pieces) const {
  special_.encode(text, ids, pieces, [&](const std::string& part) {
    for (const auto& word : pre_tokenize(normalize(decode_utf8(part)))) word_pieces(word, ids, pieces);
  });
}

}  // namespace daf::text
