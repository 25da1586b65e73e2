// The tokenizers of text/: WordPiece and byte-level BPE on vocabularies written here, their
// files' errors, and the config keys. The expected ids follow Hugging Face's definitions
// (tokenizers' BertNormalizer, BertPreTokenizer, WordPiece, ByteLevel and BPE); the parity
// test (tests/e2e/tokenizer_parity.sh) compares with Hugging Face itself on real vocabularies.
#include "catch.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "daf/extract/extract_config.h"
#include "daf/text/tokenize_lines.h"
#include "daf/text/tokenizer.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "test_helpers.h"
#include "text/byte_level_bpe.h"
#include "text/unicode.h"
#include "text/wordpiece_tokenizer.h"

using Catch::Matchers::ContainsSubstring;
using daf::test::TempDir;

namespace {

std::string lines(const std::vector<std::string>& tokens) {
  std::string text;
  for (const auto& t : tokens) text += t + "\n";
  return text;
}

const std::vector<std::string> kBertVocab = {
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "the", "movie", "was", "great", ",", "!",
    "$", "5", "-", "a", "b", "cafe", "café", "naive", "中", "文", "i", "\u0307", "##\u0307", "σ", "hello", "##s",
    "\u00bf", "que", "qué", "?", "x", "##x", "[", "]", "sep", "ab", "##b"};

daf::TokenizerConfig bert_config(const std::string& vocab) {
  daf::TokenizerConfig c;
  c.kind = "wordpiece";
  c.vocab = vocab;
  c.max_length = 512;
  return c;
}

std::vector<int64_t> ids_of(const std::vector<std::string>& vocab, const std::vector<std::string>& tokens) {
  std::vector<int64_t> ids;
  for (const auto& t : tokens) ids.push_back(std::find(vocab.begin(), vocab.end(), t) - vocab.begin());
  return ids;
}

std::string u8(const std::u32string& s) { return daf::text::encode_utf8(s); }

// The start of a byte-level vocab.json: "{" and GPT-2's 256 byte symbols as ids 0..255, one per
// line ending in `line_end`, without the closing brace (callers add tokens, then "}").
std::string byte_vocab_json(const std::string& line_end = "\n") {
  std::string vocab;
  for (int b = 0; b < 256; ++b)
    vocab += (b ? "," + line_end : "{" + line_end) +
             daf::json_escape(daf::text::byte_symbols()[static_cast<size_t>(b)]) + ": " + std::to_string(b);
  return vocab;
}

}  // namespace

TEST_CASE("BertNormalizer: control characters, whitespace, CJK, accents and lower case") {
  TempDir dir;
  daf::write_file_atomic(dir.file("vocab.txt"), lines(kBertVocab));
  daf::TokenizerConfig c = bert_config(dir.file("vocab.txt"));
  const daf::text::WordPieceTokenizer uncased(c);
  const auto norm = [](const daf::text::WordPieceTokenizer& t, const std::string& s) {
    return u8(t.normalize(daf::text::decode_utf8(s)));
  };
  // NUL, U+FFFD, controls (Cc), format characters (Cf: soft hyphen, ZWSP) and private use go; \t \n \r become spaces.
  CHECK(norm(uncased, std::string("a\0b", 3)) == "ab");
  CHECK(norm(uncased, "a\xEF\xBF\xBD" "b\x01" "c\x7F" "d\xC2\xAD" "e\xE2\x80\x8B" "f\xEE\x80\x80" "g") == "abcdefg");
  CHECK(norm(uncased, "a\tb\nc\rd\xC2\xA0" "e\xE3\x80\x80" "f") == "a b c d e f");
  // An unassigned code point (U+0378) is kept, as Hugging Face keeps it.
  CHECK(norm(uncased, "a\xCD\xB8") == "a\xCD\xB8");
  CHECK(norm(uncased, "中文") == " 中  文 ");
  CHECK(norm(uncased, "Café NAÏVE") == "cafe naive");
  // Accents go before lower-casing (Hugging Face's order): U+0130 -> I + U+0307 -> I -> i.
  CHECK(norm(uncased, "\xC4\xB0") == "i");
  // A final capital sigma -> σ (context-free mapping).
  CHECK(norm(uncased, "\xCE\xA3") == "\xCF\x83");

  c.strip_accents = "false";
  CHECK(norm(daf::text::WordPieceTokenizer(c), "Café") == "café");
  // The full lower-case mapping: U+0130 -> i + U+0307.
  CHECK(norm(daf::text::WordPieceTokenizer(c), "\xC4\xB0") == "i\xCC\x87");
  c.lowercase = false;
  c.strip_accents = "auto";  // follows lowercase: off
  CHECK(norm(daf::text::WordPieceTokenizer(c), "Café") == "Café");
  c.strip_accents = "true";
  CHECK(norm(daf::text::WordPieceTokenizer(c), "Café") == "Cafe");
}

TEST_CASE("BertPreTokenizer splits on whitespace and on Unicode and ASCII punctuation") {
  const auto words = [](const std::string& s) {
    std::vector<std::string> out;
    for (const auto& w : daf::text::WordPieceTokenizer::pre_tokenize(daf::text::decode_utf8(s))) out.push_back(u8(w));
    return out;
  };
  CHECK(words("  $5,  a-b!") == std::vector<std::string>{"$", "5", ",", "a", "-", "b", "!"});
  // '^' and '`' are ASCII symbols (Sk), '¿' punctuation (Po); '°' (So) is not punctuation.
  CHECK(words("x^y`z ¿qué? 5°") == std::vector<std::string>{"x", "^", "y", "`", "z", "¿", "qué", "?", "5°"});
}

TEST_CASE("WordPiece: greedy longest match, ## continuations, unknown and over-long words") {
  TempDir dir;
  daf::write_file_atomic(dir.file("vocab.txt"), lines(kBertVocab));
  const auto t = daf::load_tokenizer(bert_config(dir.file("vocab.txt")));
  auto e = t->encode("Unaffable movie, was GREAT!");
  CHECK(e.pieces == std::vector<std::string>{"[CLS]", "un", "##aff", "##able", "movie", ",", "was", "great", "!", "[SEP]"});
  CHECK(e.ids == ids_of(kBertVocab, e.pieces));
  CHECK(e.text_tokens == 8);
  CHECK_FALSE(e.truncated);
  // "unaffablex" cannot be built to the end: the whole word is [UNK], not "un ##aff ##able [UNK]".
  CHECK(t->encode("unaffableq").pieces == std::vector<std::string>{"[CLS]", "[UNK]", "[SEP]"});
  // Words of 100 characters are tokenized, longer ones are [UNK].
  const std::string hundred = "x" + std::string(99, 'x');
  CHECK(t->encode(hundred).ids.size() == 102);
  CHECK(t->encode(hundred + "x").pieces == std::vector<std::string>{"[CLS]", "[UNK]", "[SEP]"});
  // CJK ideographs are words of their own; accents are stripped before the lookup.
  CHECK(t->encode("中文 Café").pieces == std::vector<std::string>{"[CLS]", "中", "文", "cafe", "[SEP]"});
  // Empty text, or only removed characters: the special tokens alone.
  e = t->encode("\x01\x02");
  CHECK(e.pieces == std::vector<std::string>{"[CLS]", "[SEP]"});
  CHECK(e.text_tokens == 0);
}

TEST_CASE("WordPiece special tokens, truncation and missing tokens") {
  TempDir dir;
  daf::write_file_atomic(dir.file("vocab.txt"), lines(kBertVocab));
  daf::TokenizerConfig c = bert_config(dir.file("vocab.txt"));
  c.max_length = 5;
  auto t = daf::load_tokenizer(c);
  // [SEP] written in the text is the token (before lower-casing); [sep] is text.
  CHECK(t->encode("a [SEP] b").pieces == std::vector<std::string>{"[CLS]", "a", "[SEP]", "b", "[SEP]"});
  CHECK(t->encode("[sep]").pieces == std::vector<std::string>{"[CLS]", "[", "sep", "]", "[SEP]"});
  // max_length counts [CLS] and [SEP]: three text tokens fit.
  const auto e = t->encode("the movie was great");
  CHECK(e.pieces == std::vector<std::string>{"[CLS]", "the", "movie", "was", "[SEP]"});
  CHECK(e.truncated);
  CHECK(e.text_tokens == 4);
  CHECK(t->pad_id() == 0);

  c.match_special_tokens = false;
  CHECK(daf::load_tokenizer(c)->encode("a [SEP]").pieces ==
        std::vector<std::string>{"[CLS]", "a", "[", "sep", "[SEP]"});
  c.match_special_tokens = true;
  c.bos_token = "";
  c.eos_token = "";
  c.max_length = 2;
  CHECK(daf::load_tokenizer(c)->encode("a b x").pieces == std::vector<std::string>{"a", "b"});

  daf::write_file_atomic(dir.file("nounk.txt"), lines({"[PAD]", "[CLS]", "[SEP]", "a"}));
  CHECK_THROWS_WITH(daf::load_tokenizer(bert_config(dir.file("nounk.txt"))),
                    ContainsSubstring("nounk.txt: vocab.txt has no '[UNK]' (text.unk_token)"));
  daf::write_file_atomic(dir.file("nocls.txt"), lines({"[PAD]", "[UNK]", "[SEP]", "a"}));
  CHECK_THROWS_WITH(daf::load_tokenizer(bert_config(dir.file("nocls.txt"))), ContainsSubstring("has no '[CLS]' (text.bos_token)"));
  c = bert_config(dir.file("vocab.txt"));
  c.max_length = 2;
  CHECK_THROWS_WITH(daf::load_tokenizer(c), ContainsSubstring("text.max_length 2 leaves no room"));
}

TEST_CASE("vocab.txt, vocab.json and merges.txt errors name the file and line") {
  TempDir dir;
  const auto bad_txt = [&](const std::string& text) {
    daf::write_file_atomic(dir.file("v.txt"), text);
    return bert_config(dir.file("v.txt"));
  };
  CHECK_THROWS_WITH(daf::load_tokenizer(bad_txt("")), ContainsSubstring("v.txt: vocab.txt: expected one token per line, found an empty file"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bad_txt("[UNK]\na\n\nb\n")), ContainsSubstring("v.txt:3: vocab.txt: expected a token, found an empty line"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bad_txt("[UNK]\na\nb\na \n")),
                    ContainsSubstring("v.txt:4: vocab.txt: token 'a' appears a second time (first on line 2)"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bad_txt("a\n\xFF\n")), ContainsSubstring("not valid UTF-8"));

  const std::string bytes_vocab = byte_vocab_json();  // the 256 byte symbols, ids 0..255
  daf::write_file_atomic(dir.file("m.txt"), "#version: 0.2\n");
  const auto bpe = [&](const std::string& vocab, const std::string& merges) {
    daf::write_file_atomic(dir.file("v.json"), vocab);
    daf::write_file_atomic(dir.file("m.txt"), merges);
    daf::TokenizerConfig c;
    c.kind = "bpe";
    c.vocab = dir.file("v.json");
    c.merges = dir.file("m.txt");
    return c;
  };
  CHECK_NOTHROW(daf::load_tokenizer(bpe(bytes_vocab + "}", "#version: 0.2\n")));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe("[\"a\"]", "")), ContainsSubstring("v.json:1: vocab.json: expected a JSON object"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe("{}", "")), ContainsSubstring("expected at least one token, found an empty vocabulary"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe(bytes_vocab + ",\n\"ab\": 1.5}", "")), ContainsSubstring("v.json:258: vocab.json: expected a non-negative integer id"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe(bytes_vocab + ",\n\"ab\": 7}", "")),
                    ContainsSubstring("v.json:258: vocab.json: expected each id once (it is"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe(bytes_vocab + ",\n\"A\": 300}", "")),
                    ContainsSubstring("v.json:258: vocab.json: expected each token once, found token 'A' a second time"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe("{\"a\": 0}", "")), ContainsSubstring("lacks 'Ā', the symbol of byte 0x00"));
  // (a fuzzing finding: one huge id made the id -> token table that large)
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe("{\"a\":888888888}", "")),
                    ContainsSubstring("v.json:1: vocab.json: expected ids 0..0, one per token, found id 888888888 for 'a' with 1 tokens"));
  const std::string vocab = bytes_vocab + ",\n\"ab\": 256, \"\\u0120a\": 257}";
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe(vocab, "#version: 0.2\na b\nab\n")),
                    ContainsSubstring("m.txt:3: merges.txt: expected two symbols separated by one space, found 'ab'"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe(vocab, "a b c\n")), ContainsSubstring("m.txt:1: merges.txt: expected two symbols"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe(vocab, "a b\nab zz\n")), ContainsSubstring("m.txt:2: merges.txt: 'zz' is not in the vocabulary"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe(vocab, "b a\n")),
                    ContainsSubstring("m.txt:1: merges.txt: merging 'b' and 'a' gives 'ba', which is not in the vocabulary"));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe(vocab, "a b\nĠ a\na b\n")), ContainsSubstring("m.txt:3: merges.txt: repeats the merge of line 1"));
  // The JSON reader's escapes, a surrogate pair among them.
  CHECK_NOTHROW(daf::load_tokenizer(bpe(bytes_vocab + ",\n\"\\ud83d\\ude00\\n\\\"\": 256}", "")));
  CHECK_THROWS_WITH(daf::load_tokenizer(bpe(bytes_vocab + ",\n\"\\ud83d\": 300}", "")), ContainsSubstring("a lone surrogate escape"));
}

TEST_CASE("vocabulary and merges files with CRLF line ends or a byte-order mark read as without them") {
  TempDir dir;
  // WordPiece: vocab.txt with a BOM and CRLF gives the same ids as the plain file.
  const std::string plain = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\nworld\n";
  std::string windows = "\xEF\xBB\xBF";
  for (const auto& line : daf::split(plain.substr(0, plain.size() - 1), '\n')) windows += line + "\r\n";
  daf::write_file_atomic(dir.file("plain.txt"), plain);
  daf::write_file_atomic(dir.file("windows.txt"), windows);
  const auto ids = [&](const std::string& file) { return daf::load_tokenizer(bert_config(dir.file(file)))->encode("hello world").ids; };
  CHECK(ids("plain.txt") == std::vector<int64_t>{2, 4, 5, 3});
  CHECK(ids("windows.txt") == ids("plain.txt"));

  // BPE: vocab.json with a BOM, merges.txt with a BOM and CRLF.
  const std::string vocab = "\xEF\xBB\xBF" + byte_vocab_json("\r\n") + ",\r\n\"ab\": 256\r\n}\r\n";
  daf::write_file_atomic(dir.file("v.json"), vocab);
  daf::write_file_atomic(dir.file("m.txt"), "\xEF\xBB\xBF#version: 0.2\r\na b\r\n");
  daf::TokenizerConfig c;
  c.kind = "bpe";
  c.vocab = dir.file("v.json");
  c.merges = dir.file("m.txt");
  CHECK(daf::load_tokenizer(c)->encode("ab").pieces == std::vector<std::string>{"ab"});
}

TEST_CASE("the tokenizer fingerprint changes with the vocabulary's order and every setting that changes ids") {
  TempDir dir;
  daf::write_file_atomic(dir.file("a.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\nworld\n");
  daf::write_file_atomic(dir.file("b.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\nworld\nhello\n");  // same size, reordered
  daf::write_file_atomic(dir.file("copy.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\nworld\n");
  const auto digest = [&](const std::string& file, const std::function<void(daf::TokenizerConfig&)>& change) {
    daf::TokenizerConfig c = bert_config(dir.file(file));
    change(c);
    return daf::tokenizer_fingerprint_digest(c);
  };
  const auto same = [](daf::TokenizerConfig&) {};
  const std::string base = digest("a.txt", same);
  CHECK(base.size() == 64);
  CHECK(digest("copy.txt", same) == base);  // the files' contents count, not their paths
  CHECK(digest("b.txt", same) != base);
  CHECK(digest("a.txt", [](daf::TokenizerConfig& c) { c.lowercase = false; }) != base);
  CHECK(digest("a.txt", [](daf::TokenizerConfig& c) { c.max_length = 3; }) != base);
  CHECK(digest("a.txt", [](daf::TokenizerConfig& c) { c.eos_token = ""; }) != base);
  CHECK(digest("a.txt", [](daf::TokenizerConfig& c) { c.strip_accents = "false"; }) != base);
}

TEST_CASE("byte-level BPE: RoBERTa's <s> ... </s> only when the vocabulary has both tokens") {
  TempDir dir;
  const std::string bytes = byte_vocab_json();
  daf::write_file_atomic(dir.file("m.txt"), "#version: 0.2\n");
  daf::TokenizerConfig c;
  c.kind = "bpe";
  c.vocab = dir.file("v.json");
  c.merges = dir.file("m.txt");
  const auto pieces = [&](const std::string& extra) {
    daf::write_file_atomic(dir.file("v.json"), bytes + extra + "}");
    return daf::load_tokenizer(c)->encode("a").pieces;
  };
  CHECK(pieces(",\n\"</s>\": 256") == std::vector<std::string>{"a"});  // a lone </s>: nothing added
  CHECK(pieces(",\n\"<s>\": 256") == std::vector<std::string>{"a"});
  CHECK(pieces(",\n\"<s>\": 256, \"</s>\": 257") == std::vector<std::string>{"<s>", "a", "</s>"});
  c.eos_token = "</s>";  // asked for alone, it is added alone
  CHECK(pieces(",\n\"</s>\": 256") == std::vector<std::string>{"a", "</s>"});
}

TEST_CASE("byte-level BPE: GPT-2's byte table, pre-tokenization and merge ranks") {
  const auto& symbols = daf::text::byte_symbols();
  CHECK(symbols['A'] == "A");
  CHECK(symbols[' '] == "\xC4\xA0");  // U+0120 'Ġ'
  CHECK(symbols[0] == "\xC4\x80");    // U+0100 'Ā'
  CHECK(symbols[0xAD] == "\xC5\x83");  // the soft hyphen byte is not printable: U+0143
  CHECK(std::set<std::string>(symbols.begin(), symbols.end()).size() == 256);

  TempDir dir;
  // Bytes, then merges whose ranks decide: "a b" before "b c", so "abc" -> "ab" + "c".
  std::string vocab = byte_vocab_json();
  vocab += ",\n\"ab\": 256, \"bc\": 257, \"abc\": 258, \"\\u0120a\": 259, \"<s>\": 260, \"</s>\": 261, \"<pad>\": 262, "
           "\"<mask>\": 263}";
  daf::write_file_atomic(dir.file("v.json"), vocab);
  daf::TokenizerConfig c;
  c.kind = "bpe";
  c.vocab = dir.file("v.json");
  c.merges = dir.file("m.txt");
  c.max_length = 100;
  const auto with_merges = [&](const std::string& merges) {
    daf::write_file_atomic(dir.file("m.txt"), merges);
    return daf::load_tokenizer(c);
  };
  CHECK(with_merges("a b\nb c\n")->encode("abc").pieces == std::vector<std::string>{"<s>", "ab", "c", "</s>"});
  CHECK(with_merges("b c\na b\n")->encode("abc").pieces == std::vector<std::string>{"<s>", "a", "bc", "</s>"});
  CHECK(with_merges("a b\nab c\n")->encode("abc").pieces == std::vector<std::string>{"<s>", "abc", "</s>"});
  // Equal pairs merge leftmost first: "aaa" with "a a" -> "aa" + "a" (needs "aa": absent here, so bytes).
  auto t = with_merges("a b\n\xC4\xA0 a\n");
  CHECK(t->encode("ab a").pieces == std::vector<std::string>{"<s>", "ab", "\xC4\xA0" "a", "</s>"});

  daf::text::ByteLevelBpeTokenizer bpe(c);
  CHECK(bpe.pre_tokenize("I'm here  now 42x") ==
        std::vector<std::string>{"I", "'m", " here", " ", " now", " 42", "x"});
  // Only U+0020 may lead a word; other whitespace (NBSP, VT, NEL: Oniguruma's \s) stands alone.
  CHECK(bpe.pre_tokenize("a\xC2\xA0\xC2\xA0" "b") == std::vector<std::string>{"a", "\xC2\xA0", "\xC2\xA0", "b"});
  CHECK(bpe.pre_tokenize("x\x0b\xC2\x85y") == std::vector<std::string>{"x", "\x0b", "\xC2\x85", "y"});
  CHECK(bpe.pre_tokenize("a \x0b b") == std::vector<std::string>{"a", " \x0b", " b"});

  // Arbitrary UTF-8 round-trips: the pieces map back to the text's bytes.
  std::map<std::string, unsigned char> back;
  for (int b = 0; b < 256; ++b) back[symbols[static_cast<size_t>(b)]] = static_cast<unsigned char>(b);
  c.bos_token = c.eos_token = "";
  for (const std::string text : {"😀👨‍👩‍👧 e\xCC\x81 \xE4\xB8\xAD\xE6\x96\x87 \t\r x", "\xF4\x8F\xBF\xBF", "ab<s>c"}) {
    c.match_special_tokens = false;
    const auto e = daf::load_tokenizer(c)->encode(text);
    std::string bytes;
    for (const auto& piece : e.pieces)
      for (const char32_t ch : daf::text::decode_utf8(piece)) bytes.push_back(static_cast<char>(back.at(u8(std::u32string(1, ch)))));
    CHECK(bytes == text);
  }
}

TEST_CASE("byte-level BPE special tokens: RoBERTa's <mask> takes the space before it, add_prefix_space") {
  TempDir dir;
  std::string vocab = byte_vocab_json();
  daf::write_file_atomic(dir.file("m.txt"), "");
  daf::TokenizerConfig c;
  c.kind = "bpe";
  c.vocab = dir.file("v.json");
  c.merges = dir.file("m.txt");
  // GPT-2-shaped (no <s>): no BOS/EOS, <|endoftext|> is special.
  daf::write_file_atomic(dir.file("v.json"), vocab + ", \"<|endoftext|>\": 256}");
  CHECK(daf::load_tokenizer(c)->encode("a<|endoftext|>").pieces == std::vector<std::string>{"a", "<|endoftext|>"});
  // RoBERTa-shaped: <s> ... </s>; <|endoftext|> is plain text there.
  daf::write_file_atomic(dir.file("v.json"), vocab + ", \"<s>\": 256, \"</s>\": 257, \"<mask>\": 258, \"<|endoftext|>\": 259}");
  auto t = daf::load_tokenizer(c);
  // (no merges here: " b" stays two byte symbols)
  CHECK(t->encode("a \t<mask> b").pieces ==
        std::vector<std::string>{"<s>", "a", "<mask>", "\xC4\xA0", "b", "</s>"});
  CHECK(t->encode("<|endoftext|>").ids.size() > 3);
  c.add_prefix_space = true;
  CHECK(daf::load_tokenizer(c)->encode("a<s>b").pieces ==
        std::vector<std::string>{"<s>", "\xC4\xA0", "a", "<s>", "\xC4\xA0", "b", "</s>"});
  c.bos_token = "<x>";
  CHECK_THROWS_WITH(daf::load_tokenizer(c), ContainsSubstring("v.json: vocab.json has no '<x>' (text.bos_token)"));
}

TEST_CASE("daf-tokenize's lines: JSON per line, carriage returns kept, invalid UTF-8 named by line") {
  TempDir dir;
  daf::write_file_atomic(dir.file("vocab.txt"), lines(kBertVocab));
  const auto t = daf::load_tokenizer(bert_config(dir.file("vocab.txt")));
  std::istringstream in("hello\r\n\"a\" b\n");
  std::ostringstream out;
  CHECK(daf::tokenize_lines(*t, in, out, "in.txt") == 2);
  CHECK(out.str() ==
        "{\"text\": \"hello\\r\", \"ids\": [2, 28, 3], \"pieces\": [\"[CLS]\", \"hello\", \"[SEP]\"]}\n"
        "{\"text\": \"\\\"a\\\" b\", \"ids\": [2, 1, 17, 1, 18, 3], \"pieces\": [\"[CLS]\", \"[UNK]\", \"a\", \"[UNK]\", \"b\", \"[SEP]\"]}\n");
  std::istringstream bad("ok\nbad \xC3\x28\n");
  std::ostringstream ignored;
  CHECK_THROWS_WITH(daf::tokenize_lines(*t, bad, ignored, "in.txt"), ContainsSubstring("in.txt:2: the text is not valid UTF-8 (byte 4"));
  CHECK_THROWS_WITH(t->encode("\xFF"), ContainsSubstring("not valid UTF-8"));
}

TEST_CASE("text.* tokenizer keys: files per kind, keys of another kind, the old text.tokenizer: FILE.model") {
  TempDir dir;
  daf::write_file_atomic(dir.file("vocab.txt"), lines(kBertVocab));
  daf::write_file_atomic(dir.file("spm.model"), "x");
  const std::string v = "text.vocab=" + dir.file("vocab.txt");
  CHECK(daf::load_tokenizer_config("", {"text.tokenizer=wordpiece", v}).vocab == dir.file("vocab.txt"));
  CHECK_THROWS_WITH(daf::load_tokenizer_config("", {"text.tokenizer=wordpiece"}),
                    ContainsSubstring("text.tokenizer is wordpiece but text.vocab is not set"));
  CHECK_THROWS_WITH(daf::load_tokenizer_config("", {"text.tokenizer=bpe", v}), ContainsSubstring("text.merges is not set"));
  CHECK_THROWS_WITH(daf::load_tokenizer_config("", {"text.tokenizer=wordpiece", v, "text.merges=m.txt"}),
                    ContainsSubstring("text.merges applies to text.tokenizer bpe, not wordpiece"));
  CHECK_THROWS_WITH(daf::load_tokenizer_config("", {"text.tokenizer=wordpiece", v, "text.bos_id=1"}),
                    ContainsSubstring("text.bos_id applies to text.tokenizer sentencepiece, not wordpiece"));
  CHECK_THROWS_WITH(daf::load_tokenizer_config("", {"text.tokenizer=wordpeice", v}), ContainsSubstring("did you mean 'wordpiece'"));
  CHECK_THROWS_WITH(daf::load_tokenizer_config("", {"text.tokenizer=wordpiece", "text.vocab=none.txt"}),
                    ContainsSubstring("text.vocab: none.txt: file not found"));
  const auto old = daf::load_tokenizer_config("", {"text.tokenizer=" + dir.file("spm.model")});
  CHECK(old.kind == "sentencepiece");
  CHECK(old.sentencepiece_model == dir.file("spm.model"));
}
