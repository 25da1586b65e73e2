// The tokenizers and their files: the first byte picks what the rest is -- a vocab.txt, a
// vocab.json or a merges.txt to load, or a text to encode with WordPiece or byte-level BPE
// (small vocabularies written once). Encoding checks its own promises: ids inside the
// vocabulary, at most max_length of them, one piece per id.
#include <cstdlib>

#include "daf/text/tokenizer.h"
#include "daf/util/atomic_file.h"
#include "daf/util/strings.h"
#include "fuzz_common.h"
#include "text/byte_level_bpe.h"

namespace {

std::string byte_vocab_json(const std::string& extra) {
  std::string vocab = "{";
  for (int b = 0; b < 256; ++b)
    vocab += (b ? ", " : "") + daf::json_escape(daf::text::byte_symbols()[static_cast<size_t>(b)]) + ": " +
             std::to_string(b);
  return vocab + extra + "}";
}

struct Tokenizers {
  std::unique_ptr<daf::Tokenizer> wordpiece, bpe;
  daf::TokenizerConfig bpe_config;
  Tokenizers() {
    const std::string dir = daf::fuzz::scratch();
    daf::write_file_atomic(dir + "/wp.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nb\n##a\n##b\nab\n##ab\n中\né\n!\n");
    daf::TokenizerConfig wp;
    wp.kind = "wordpiece";
    wp.vocab = dir + "/wp.txt";
    wp.max_length = 16;
    wordpiece = daf::load_tokenizer(wp);
    daf::write_file_atomic(dir + "/bpe.json", byte_vocab_json(", \"ab\": 256, \"\\u0120a\": 257, \"<s>\": 258, "
                                                               "\"</s>\": 259, \"<mask>\": 260, \"\\u0120ab\": 261"));
    daf::write_file_atomic(dir + "/bpe.txt", "#version: 0.2\na b\n\xC4\xA0 a\n\xC4\xA0" "a b\n");
    bpe_config.kind = "bpe";
    bpe_config.vocab = dir + "/bpe.json";
    bpe_config.merges = dir + "/bpe.txt";
    bpe_config.max_length = 16;
    bpe = daf::load_tokenizer(bpe_config);
  }
};

void check(const daf::Tokenizer& tokenizer, const std::string& text) {
  daf::fuzz::expect_clean_errors([&] {
    const daf::Encoding e = tokenizer.encode(text);
    if (e.ids.size() > static_cast<size_t>(tokenizer.max_length()) || e.ids.size() != e.pieces.size()) std::abort();
    for (const int64_t id : e.ids)
      if (id < 0 || id >= tokenizer.vocab_size()) std::abort();
    if (!daf::is_valid_utf8(text)) std::abort();  // invalid text must have been an InputError
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static Tokenizers tokenizers;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0: check(*tokenizers.wordpiece, rest); break;
    case 1: check(*tokenizers.bpe, rest); break;
    case 2: {
      daf::TokenizerConfig c;
      c.kind = "wordpiece";
      c.vocab = daf::fuzz::write_input("v.txt", data + 1, size - 1);
      daf::fuzz::expect_clean_errors([&] { check(*daf::load_tokenizer(c), "ab a!"); });
      break;
    }
    case 3: {
      daf::TokenizerConfig c = tokenizers.bpe_config;
      c.vocab = daf::fuzz::write_input("v.json", data + 1, size - 1);
      daf::fuzz::expect_clean_errors([&] { check(*daf::load_tokenizer(c), "ab a"); });
      break;
    }
    default: {
      daf::TokenizerConfig c = tokenizers.bpe_config;
      c.merges = daf::fuzz::write_input("m.txt", data + 1, size - 1);
      daf::fuzz::expect_clean_errors([&] { check(*daf::load_tokenizer(c), "ab a"); });
    }
  }
  return 0;
}
