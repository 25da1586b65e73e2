#include "text/unicode.h"

#include <unicode/normalizer2.h>
#include <unicode/uniset.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include "daf/util/error.h"

namespace daf::text {

std::u32string decode_utf8(const std::string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
    char32_t c = extra == 0 ? b : extra == 1 ? (b & 0x1F) : extra == 2 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k <= extra && i + static_cast<size_t>(k) < text.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(text[i + static_cast<size_t>(k)]) & 0x3F);
    out.push_back(c);
    i += static_cast<size_t>(extra) + 1;
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string encode_utf8(const std::u32string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char32_t c : text) append_utf8(out, c);
  return out;
}

bool is_white_space(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r');
  return u_isUWhiteSpace(static_cast<UChar32>(c));
}

namespace {

// The general category a character had in Unicode 8.0: today's when it is that old,
// unassigned when it is younger.
int8_t category_in_unicode_8(char32_t c) {
  // Characters assigned by 8.0 whose category changed later (found by comparing every
  // code point with Hugging Face's tokenizer; the versions are the Unicode releases).
  switch (c) {
    case 0x1885:
    case 0x1886:
      return U_OTHER_LETTER;  // MONGOLIAN LETTER ALI GALI BALUDA, THREE BALUDA: Lo until 9.0
    case 0xA9BD:
      return U_COMBINING_SPACING_MARK;  // JAVANESE CONSONANT SIGN KERET: Mc until 9.0
    case 0x111C9:
      return U_OTHER_PUNCTUATION;  // SHARADA SANDHI MARK: Po until 11.0
    case 0x166D:
      return U_OTHER_PUNCTUATION;  // CANADIAN SYLLABICS CHI SIGN: Po until 12.0
    case 0x1734:
      return U_NON_SPACING_MARK;  // HANUNOO SIGN PAMUDPOD: Mn until 14.0
    case 0x1171E:
      return U_NON_SPACING_MARK;  // AHOM CONSONANT SIGN MEDIAL RA: Mn until 16.0 (ICU 76, Debian 13)
    default:
      break;
  }
  UVersionInfo age;
  u_charAge(static_cast<UChar32>(c), age);
  if (age[0] > 8) return U_UNASSIGNED;
  return u_charType(static_cast<UChar32>(c));
}

}  // namespace

bool is_bert_other(char32_t c) {
  if (c < 0x80) return c < 0x20 || c == 0x7F;
  const int8_t category = category_in_unicode_8(c);
  return category == U_CONTROL_CHAR || category == U_FORMAT_CHAR || category == U_PRIVATE_USE_CHAR;
}

bool is_bert_punctuation_category(char32_t c) {
  switch (category_in_unicode_8(c)) {
    case U_CONNECTOR_PUNCTUATION:
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
      return true;
    default:
      return false;
  }
}

bool is_bert_nonspacing_mark(char32_t c) {
  return c >= 0x300 && category_in_unicode_8(c) == U_NON_SPACING_MARK;
}

namespace {

icu::UnicodeString to_icu(const std::u32string& text) {
  return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(text.data()),
                                       static_cast<int32_t>(text.size()));
}

std::u32string from_icu(const icu::UnicodeString& text) {
  std::u32string out(static_cast<size_t>(text.countChar32()), U'\0');
  UErrorCode status = U_ZERO_ERROR;
  text.toUTF32(reinterpret_cast<UChar32*>(out.data()), static_cast<int32_t>(out.size()), status);
  return out;
}

}  // namespace

std::u32string nfd_unicode_8(const std::u32string& text) {
  // Decompositions never change once a character has one, so the NFD of Unicode 8.0 is
  // ICU's NFD applied to the characters 8.0 had.
  static const icu::Normalizer2* normalizer = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) throw RuntimeFailure(std::string("ICU: no NFD normalizer (") + u_errorName(status) + ")");
    static icu::UnicodeSet unicode_8(icu::UnicodeString(u"[:age=8.0:]"), status);
    if (U_FAILURE(status)) throw RuntimeFailure(std::string("ICU: no [:age=8.0:] set (") + u_errorName(status) + ")");
    unicode_8.freeze();
    static icu::FilteredNormalizer2 filtered(*nfd, unicode_8);
    return static_cast<const icu::Normalizer2*>(&filtered);
  }();
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString result = normalizer->normalize(to_icu(text), status);
  if (U_FAILURE(status)) throw RuntimeFailure(std::string("ICU: NFD failed (") + u_errorName(status) + ")");
  return from_icu(result);
}

void append_lowercase(std::u32string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    return;
  }
  // One code point alone has no casing context, so the mapping is the context-free one.
  UChar source[2];
  int32_t length = 0;
  U16_APPEND_UNSAFE(source, length, static_cast<UChar32>(c));
  UChar lowered[8];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t n = u_strToLower(lowered, 8, source, length, "", &status);
  if (U_FAILURE(status) || n > 8) {
    out.push_back(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))));
    return;
  }
  for (int32_t i = 0; i < n;) {
    UChar32 lc;
    U16_NEXT(lowered, i, n, lc);
    out.push_back(static_cast<char32_t>(lc));
  }
}

}  // namespace daf::text
