#pragma once
// The Unicode facts the tokenizers need, all from ICU (Debian's libicu72): general
// categories, the White_Space property, NFD and full lower-case mappings. ICU was
// chosen over utf8proc (no regular expressions) and PCRE2 (no normalisation) because
// it alone has all three, including the regular expressions byte-level BPE splits with.
#include <string>

namespace daf::text {

// Code points of valid UTF-8 (the caller has checked it).
std::u32string decode_utf8(const std::string& text);
void append_utf8(std::string& out, char32_t c);
std::string encode_utf8(const std::u32string& text);

bool is_white_space(char32_t c);  // the White_Space property (Rust's char::is_whitespace)

// BERT's character classes as Hugging Face computes them: with the general categories
// of Unicode 8.0 (its Rust crate unicode_categories 0.1 has Unicode 8.0 tables). ICU
// gives today's categories and each character's age, so characters assigned after
// 8.0 are in none of these classes; the few whose category changed since 8.0 are
// listed in unicode.cpp. Checked against Hugging Face on every code point
// (tests/e2e/tokenizer_parity.sh).
bool is_bert_other(char32_t c);        // Cc, Cf, Co (not Cn: unassigned characters are kept)
bool is_bert_punctuation_category(char32_t c);  // Pc, Pd, Pe, Pf, Pi, Po, Ps
bool is_bert_nonspacing_mark(char32_t c);       // Mn

// Canonical decomposition (NFD) as Unicode 8.0 defines it (Hugging Face's tables):
// characters assigned later are left as they are.
std::u32string nfd_unicode_8(const std::u32string& text);
// Appends the full lower-case mapping of one code point, without context (as Rust's
// char::to_lowercase: U+0130 -> "i\u0307", a final capital sigma -> U+03C3).
void append_lowercase(std::u32string& out, char32_t c);

}  // namespace daf::text
