#pragma once
// A sentencepiece model, used through libdaf_sentencepiece (loaded at run time;
// see src/text/sentencepiece_c.h for why it is never linked). Torch-free.
#include <memory>
#include <string>
#include <vector>

namespace daf {

class SentencePieceTokenizer {
 public:
  // InputError naming the file when it is missing or not a sentencepiece model.
  static SentencePieceTokenizer load(const std::string& model_path);
  ~SentencePieceTokenizer();
  SentencePieceTokenizer(SentencePieceTokenizer&&) noexcept;
  SentencePieceTokenizer& operator=(SentencePieceTokenizer&&) noexcept;

  // Piece ids of UTF-8 text (no BOS/EOS; those are the caller's choice).
  std::vector<int> encode(const std::string& text) const;
  // The text of piece `id` ("" outside the vocabulary).
  std::string piece(int id) const;
  int vocab_size() const;
  int unk_id() const;
  int bos_id() const;  // -1 when the model has none
  int eos_id() const;
  int pad_id() const;
  const std::string& path() const { return path_; }

 private:
  struct Model;
  SentencePieceTokenizer(std::unique_ptr<Model> model, std::string path);
  std::unique_ptr<Model> model_;
  std::string path_;
};

// Trains a model with spm_train's arguments ("--input=corpus.txt --model_prefix=x
// --vocab_size=200"); RuntimeFailure with sentencepiece's reason on failure.
void train_sentencepiece(const std::string& args);

// Where libdaf_sentencepiece was found (for logs and errors).
std::string sentencepiece_library_path();

}  // namespace daf
