#include "text/byte_level_bpe.h"

#include <unicode/utext.h>

#include <queue>

#include "daf/util/error.h"
#include "text/unicode.h"

namespace daf::text {
namespace {

constexpr size_t kCacheWords = 10000;

// GPT-2's pattern (encoder.py), with \s spelled as the White_Space property that
// Oniguruma's \s (used by Hugging Face) matches; ICU's own \s leaves out U+000B and U+0085.
const char* kPattern =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\p{White_Space}\\p{L}\\p{N}]+"
    "|\\p{White_Space}+(?!\\P{White_Space})|\\p{White_Space}+";

std::string icu_error(const char* what, UErrorCode status) {
  return std::string("ICU: ") + what + " (" + u_errorName(status) + ")";
}

}  // namespace

const std::vector<std::string>& byte_symbols() {
  static const std::vector<std::string> table = [] {
    std::vector<std::string> symbols(256);
    int next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      std::string s;
      append_utf8(s, static_cast<char32_t>(printable ? b : next++));
      symbols[static_cast<size_t>(b)] = s;
    }
    return symbols;
  }();
  return table;
}

ByteLevelBpeTokenizer::ByteLevelBpeTokenizer(const TokenizerConfig& config) {
  vocab_ = read_vocab_json(config.vocab, vocab_size_);
  files_ = {{"vocab", config.vocab}, {"merges", config.merges}};
  add_prefix_space_ = config.add_prefix_space;
  max_length_ = config.max_length;
  id_to_token_.resize(static_cast<size_t>(vocab_size_));
  for (const auto& [token, id] : vocab_) id_to_token_[static_cast<size_t>(id)] = token;

  for (int b = 0; b < 256; ++b) {
    const auto it = vocab_.find(byte_symbols()[static_cast<size_t>(b)]);
    if (it == vocab_.end()) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", b);
      throw InputError(config.vocab + ": vocab.json lacks '" + byte_symbols()[static_cast<size_t>(b)] +
                       "', the symbol of byte " + hex + "; a byte-level BPE vocabulary has all 256");
    }
    byte_ids_[b] = it->second;
  }

  std::map<std::pair<int64_t, int64_t>, int64_t> first_line;
  int64_t rank = 0;
  for (const auto& merge : read_merges(config.merges)) {
    const std::string where = config.merges + ":" + std::to_string(merge.line) + ": merges.txt: ";
    int64_t parts[2];
    const std::string* symbols[2] = {&merge.left, &merge.right};
    for (int k = 0; k < 2; ++k) {
      const auto it = vocab_.find(*symbols[k]);
      if (it == vocab_.end())
        throw InputError(where + "'" + *symbols[k] + "' is not in the vocabulary (" + config.vocab + ")");
      parts[k] = it->second;
    }
    const auto joined = vocab_.find(merge.left + merge.right);
    if (joined == vocab_.end())
      throw InputError(where + "merging '" + merge.left + "' and '" + merge.right + "' gives '" + merge.left +
                       merge.right + "', which is not in the vocabulary (" + config.vocab + ")");
    const auto key = std::make_pair(parts[0], parts[1]);
    if (const auto seen = first_line.find(key); seen != first_line.end())
      throw InputError(where + "repeats the merge of line " + std::to_string(seen->second));
    first_line.emplace(key, merge.line);
    merges_.emplace(key, MergeRule{rank++, joined->second});
  }

  const auto lookup = [&](const std::string& key, const std::string& configured, const char* standard) -> int64_t {
    const std::string token = configured == "auto" ? std::string(standard) : configured;
    if (token.empty()) return -1;
    const auto it = vocab_.find(token);
    if (it != vocab_.end()) return it->second;
    if (configured == "auto") return -1;  // GPT-2's vocabulary has none of RoBERTa's
    throw InputError(config.vocab + ": vocab.json has no '" + token + "' (text." + key + "); set text." + key +
                     " to the vocabulary's own token, or \"\" for none");
  };
  bos_id_ = lookup("bos_token", config.bos_token, "<s>");
  eos_id_ = lookup("eos_token", config.eos_token, "</s>");
  // "auto" adds RoBERTa's pair or nothing: a vocabulary with only one of <s> and </s> is
  // not RoBERTa's, and a lone </s> after every text would be a token no model expects.
  if (config.bos_token == "auto" && config.eos_token == "auto" && (bos_id_ < 0 || eos_id_ < 0)) bos_id_ = eos_id_ = -1;
  const int64_t pad = lookup("pad_token", config.pad_token, "<pad>");
  const int64_t unk = lookup("unk_token", config.unk_token, "<unk>");
  pad_id_ = pad >= 0 ? pad : 0;
  if (bos_id_ >= 0) bos_piece_ = id_to_token_[static_cast<size_t>(bos_id_)];
  if (eos_id_ >= 0) eos_piece_ = id_to_token_[static_cast<size_t>(eos_id_)];
  if (config.match_special_tokens) {
    for (const int64_t id : {bos_id_, eos_id_, pad, unk})
      if (id >= 0) special_.add(id_to_token_[static_cast<size_t>(id)], id);
    // The added tokens of the hub's tokenizers: RoBERTa's five when the vocabulary has <s>
    // (its <mask> takes the whitespace before it, lstrip), else GPT-2's <|endoftext|>.
    const bool roberta = vocab_.count("<s>") > 0;
    const std::vector<std::string> added = roberta ? std::vector<std::string>{"<s>", "</s>", "<pad>", "<unk>", "<mask>"}
                                                   : std::vector<std::string>{"<|endoftext|>"};
    for (const auto& token : added)
      if (const auto it = vocab_.find(token); it != vocab_.end()) special_.add(token, it->second, token == "<mask>");
  }

  UErrorCode status = U_ZERO_ERROR;
  UParseError parse{};
  pattern_ = uregex_openC(kPattern, 0, &parse, &status);
  if (U_FAILURE(status)) throw RuntimeFailure(icu_error("cannot compile GPT-2's pattern", status));
}

ByteLevelBpeTokenizer::~ByteLevelBpeTokenizer() {
  if (pattern_) uregex_close(pattern_);
}

std::vector<std::string> ByteLevelBpeTokenizer::pre_tokenize(const std::string& text) const {
  std::vector<std::string> words;
  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  uregex_setUText(pattern_, utext, &status);
  if (U_FAILURE(status)) {
    utext_close(utext);
    throw RuntimeFailure(icu_error("cannot match GPT-2's pattern", status));
  }
  int64_t covered = 0;
  while (uregex_findNext(pattern_, &status)) {
    const int64_t start = uregex_start64(pattern_, 0, &status);
    const int64_t end = uregex_end64(pattern_, 0, &status);
    // The pattern matches every character, so there are no gaps; stay safe anyway.
    if (start > covered) words.push_back(text.substr(static_cast<size_t>(covered), static_cast<size_t>(start - covered)));
    words.push_back(text.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
    covered = end;
  }
  if (covered < static_cast<int64_t>(text.size())) words.push_back(text.substr(static_cast<size_t>(covered)));
  uregex_setText(pattern_, u"", 0, &status);
  utext_close(utext);
  if (U_FAILURE(status)) throw RuntimeFailure(icu_error("cannot match GPT-2's pattern", status));
  return words;
}

void ByteLevelBpeTokenizer::word_ids(const std::string& word, std::vector<int64_t>& ids,
                                     std::vector<std::string>& pieces) const {
  std::vector<int64_t> merged;
  if (const auto hit = cache_.find(word); hit != cache_.end()) {
    merged = hit->second;
  } else {
    // Symbols as a linked list; a merge keeps the left one and empties the right one.
    struct Symbol {
      int64_t id;
      int prev, next;
      bool alive;
    };
    std::vector<Symbol> symbols;
    for (size_t i = 0; i < word.size(); ++i)
      symbols.push_back({byte_ids_[static_cast<unsigned char>(word[i])], static_cast<int>(i) - 1,
                         static_cast<int>(i) + 1, true});
    struct Candidate {
      int64_t rank;
      int pos;
      int64_t id;
      bool operator<(const Candidate& other) const {  // the queue's top: lowest rank, then leftmost
        return rank != other.rank ? rank > other.rank : pos > other.pos;
      }
    };
    std::priority_queue<Candidate> queue;
    const auto consider = [&](int left) {
      const int right = symbols[static_cast<size_t>(left)].next;
      if (right >= static_cast<int>(symbols.size())) return;
      const auto rule = merges_.find({symbols[static_cast<size_t>(left)].id, symbols[static_cast<size_t>(right)].id});
      if (rule != merges_.end()) queue.push({rule->second.rank, left, rule->second.id});
    };
    for (int i = 0; i + 1 < static_cast<int>(symbols.size()); ++i) consider(i);
    while (!queue.empty()) {
      const Candidate top = queue.top();
      queue.pop();
      Symbol& left = symbols[static_cast<size_t>(top.pos)];
      if (!left.alive || left.next >= static_cast<int>(symbols.size())) continue;
      Symbol& right = symbols[static_cast<size_t>(left.next)];
      const auto rule = merges_.find({left.id, right.id});
      if (rule == merges_.end() || rule->second.id != top.id) continue;  // a stale entry
      left.id = top.id;
      right.alive = false;
      left.next = right.next;
      if (right.next < static_cast<int>(symbols.size())) symbols[static_cast<size_t>(right.next)].prev = top.pos;
      if (left.prev >= 0) consider(left.prev);
      consider(top.pos);
    }
    for (const Symbol& s : symbols)
      if (s.alive) merged.push_back(s.id);
    if (cache_.size() >= kCacheWords) cache_.clear();
    cache_.emplace(word, merged);
  }
  for (const int64_t id : merged) {
    ids.push_back(id);
    pieces.push_back(id_to_token_[static_cast<size_t>(id)]);
  }
}

void ByteLevelBpeTokenizer::tokenize(const std::string& text, std::vector<int64_t>& ids,
                                     std::vector<std::string>& pieces) const {
  special_.encode(text, ids, pieces, [&](const std::string& part) {
    if (part.empty()) return;
    const std::string spaced = add_prefix_space_ && part[0] != ' ' ? " " + part : part;
    for (const auto& word : pre_tokenize(spaced)) word_ids(word, ids, pieces);
  });
}

}  // namespace daf::text
