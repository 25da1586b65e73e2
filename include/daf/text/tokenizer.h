#pragma once
// Text -> token ids for a frozen text encoder, whichever tokenizer it was trained with:
//   sentencepiece  a .model file (XLM-R, T5, the demo encoders)
//   wordpiece      BERT's vocab.txt, with Hugging Face's BertNormalizer + BertPreTokenizer + WordPiece
//   bpe            GPT-2 / RoBERTa byte-level BPE: vocab.json + merges.txt
// All three add their special tokens and truncate the same way, so the encoder
// sees what Hugging Face's tokenizer (with truncation to max_length) would give it.
// Torch-free; sentencepiece itself stays behind its run-time loaded shim.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace daf {

struct TokenizerConfig {
  std::string kind = "sentencepiece";  // sentencepiece | wordpiece | bpe
  std::string sentencepiece_model;     // sentencepiece: the .model file
  std::string vocab;                   // wordpiece: vocab.txt; bpe: vocab.json
  std::string merges;                  // bpe: merges.txt
  bool lowercase = true;               // wordpiece: lower-case (BertNormalizer's lowercase)
  std::string strip_accents = "auto";  // wordpiece: true | false | auto (= lowercase, as Hugging Face's None)
  bool add_prefix_space = false;       // bpe: a space before each text, as if it followed a word
  // Tokens by their text; "auto": the family's own when the vocabulary has them
  // (wordpiece [CLS] [SEP] [PAD] [UNK]; bpe <s> </s> <pad> <unk>), "" for none.
  std::string bos_token = "auto";
  std::string eos_token = "auto";
  std::string pad_token = "auto";
  std::string unk_token = "auto";
  bool match_special_tokens = true;    // special tokens written in the text become those tokens
  int64_t bos_id = -1;                 // sentencepiece: ids instead of tokens
  int64_t eos_id = -1;
  int64_t pad_id = 0;
  int64_t max_length = 128;            // ids per text, special tokens included
};

struct Encoding {
  std::vector<int64_t> ids;         // special tokens included, at most max_length
  std::vector<std::string> pieces;  // the token text of each id
  bool truncated = false;           // the text had more tokens than fit
  size_t text_tokens = 0;           // tokens of the text itself (before truncation, no BOS/EOS)
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // InputError when `text` is not valid UTF-8 (with the byte offset).
  Encoding encode(const std::string& text) const;
  int64_t pad_id() const { return pad_id_; }
  int64_t bos_id() const { return bos_id_; }  // -1: none
  int64_t eos_id() const { return eos_id_; }
  int64_t vocab_size() const { return vocab_size_; }
  int64_t max_length() const { return max_length_; }
  // The files it was loaded from, for provenance (name -> path).
  const std::vector<std::pair<std::string, std::string>>& files() const { return files_; }

 protected:
  // Appends the ids and pieces of `text` (valid UTF-8), without BOS/EOS.
  virtual void tokenize(const std::string& text, std::vector<int64_t>& ids, std::vector<std::string>& pieces) const = 0;
  // Set by each tokenizer's constructor. BOS/EOS id -1: none.
  int64_t bos_id_ = -1, eos_id_ = -1, pad_id_ = 0, vocab_size_ = 0, max_length_ = 0;
  std::string bos_piece_, eos_piece_;
  std::vector<std::pair<std::string, std::string>> files_;
};

// Loads the files `config` names; InputError naming the file and line for a bad
// vocabulary, merges file or missing special token.
std::unique_ptr<Tokenizer> load_tokenizer(const TokenizerConfig& config);

// Everything that changes the ids: the kind, the files' SHA-256 and the options.
std::string tokenizer_fingerprint(const TokenizerConfig& config);
// Its SHA-256: what a cache records (tokenizer_fingerprint) and daf-predict compares.
std::string tokenizer_fingerprint_digest(const TokenizerConfig& config);

}  // namespace daf
