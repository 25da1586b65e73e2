#include "daf/text/tokenizer.h"

#include "daf/text/sentencepiece_tokenizer.h"
#include "daf/util/error.h"
#include "daf/util/sha256.h"
#include "daf/util/strings.h"
#include "text/byte_level_bpe.h"
#include "text/wordpiece_tokenizer.h"

namespace daf {
namespace {

// The sentencepiece model behind the common interface; BOS/EOS/pad come as ids.
class SentencePieceAdapter : public Tokenizer {
 public:
  explicit SentencePieceAdapter(const TokenizerConfig& config)
      : model_(SentencePieceTokenizer::load(config.sentencepiece_model)) {
    files_ = {{"sentencepiece_model", config.sentencepiece_model}};
    vocab_size_ = model_.vocab_size();
    max_length_ = config.max_length;
    bos_id_ = config.bos_id;
    eos_id_ = config.eos_id;
    pad_id_ = config.pad_id;
    if (bos_id_ >= 0) bos_piece_ = model_.piece(static_cast<int>(bos_id_));
    if (eos_id_ >= 0) eos_piece_ = model_.piece(static_cast<int>(eos_id_));
  }

 protected:
  void tokenize(const std::string& text, std::vector<int64_t>& ids, std::vector<std::string>& pieces) const override {
    for (const int id : model_.encode(text)) {
      ids.push_back(id);
      pieces.push_back(model_.piece(id));
    }
  }

 private:
  SentencePieceTokenizer model_;
};

}  // namespace

Encoding Tokenizer::encode(const std::string& text) const {
  size_t bad = 0;
  if (!is_valid_utf8(text, &bad))
    throw InputError("the text is not valid UTF-8 (byte " + std::to_string(bad) + " of " +
                     std::to_string(text.size()) + ")");
  Encoding out;
  if (bos_id_ >= 0) {
    out.ids.push_back(bos_id_);
    out.pieces.push_back(bos_piece_);
  }
  tokenize(text, out.ids, out.pieces);
  out.text_tokens = out.ids.size() - (bos_id_ >= 0 ? 1 : 0);
  // As Hugging Face truncates: the text's own tokens are cut so that the special tokens still fit.
  const size_t room = static_cast<size_t>(max_length_ - (eos_id_ >= 0 ? 1 : 0));
  out.truncated = out.ids.size() > room;
  if (out.truncated) {
    out.ids.resize(room);
    out.pieces.resize(room);
  }
  if (eos_id_ >= 0) {
    out.ids.push_back(eos_id_);
    out.pieces.push_back(eos_piece_);
  }
  return out;
}

std::unique_ptr<Tokenizer> load_tokenizer(const TokenizerConfig& config) {
  std::unique_ptr<Tokenizer> tokenizer;
  if (config.kind == "sentencepiece") {
    tokenizer = std::make_unique<SentencePieceAdapter>(config);
  } else if (config.kind == "wordpiece") {
    tokenizer = std::make_unique<text::WordPieceTokenizer>(config);
  } else if (config.kind == "bpe") {
    tokenizer = std::make_unique<text::ByteLevelBpeTokenizer>(config);
  } else {
    throw InputError("text.tokenizer: expected sentencepiece, wordpiece or bpe, found '" + config.kind + "'");
  }
  const int64_t specials = (tokenizer->bos_id() >= 0) + (tokenizer->eos_id() >= 0);
  if (config.max_length < specials + 1)
    throw InputError("text.max_length " + std::to_string(config.max_length) + " leaves no room for a token after " +
                     std::to_string(specials) + " special token(s)");
  return tokenizer;
}

std::string tokenizer_fingerprint(const TokenizerConfig& c) {
  std::string text = "tokenizer " + c.kind;
  for (const auto& path : {c.sentencepiece_model, c.vocab, c.merges})
    text += " " + (path.empty() ? std::string("-") : sha256_file(path));
  text += " lowercase=" + std::to_string(c.lowercase) + " strip_accents=" + c.strip_accents +
          " add_prefix_space=" + std::to_string(c.add_prefix_space) + " bos=" + c.bos_token + " eos=" + c.eos_token +
          " pad=" + c.pad_token + " unk=" + c.unk_token + " match_special=" + std::to_string(c.match_special_tokens) +
          " ids=" + std::to_string(c.bos_id) + "," + std::to_string(c.eos_id) + "," + std::to_string(c.pad_id) +
          " max_length=" + std::to_string(c.max_length);
  return text;
}

std::string tokenizer_fingerprint_digest(const TokenizerConfig& config) {
  Sha256 hash;
  hash.update(tokenizer_fingerprint(config));
  return hash.hex_digest();
}

}  // namespace daf
