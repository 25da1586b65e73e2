#include <cstdint>

#include "daf/datasets/meld.h"
#include "daf/util/strings.h"
#include "text/unicode.h"

namespace daf {
namespace {

// Windows-1252's characters for the bytes 0x80-0x9F (0 where it has none).
const uint32_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// A character of 0x80-0xFF as cp1252 reads it: the table for 0x80-0x9F
// (dropped where cp1252 has none), a space for the no-break space, Latin-1 above.
void append_cp1252(std::string& out, uint32_t byte) {
  if (byte >= 0x80 && byte < 0xA0) {
    if (kCp1252High[byte - 0x80] != 0) text::append_utf8(out, static_cast<char32_t>(kCp1252High[byte - 0x80]));
  } else if (byte == 0xA0) {
    out += ' ';
  } else {
    text::append_utf8(out, static_cast<char32_t>(byte));
  }
}

}  // namespace

std::string repair_cp1252(const std::string& text) {
  std::string out;
  if (!is_valid_utf8(text)) {
    for (const char ch : text) append_cp1252(out, static_cast<unsigned char>(ch));
    return out;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // U+0080-U+00A0 are encoded as C2 80 ... C2 A0.
    if (byte == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0xA0) {
        append_cp1252(out, next);
        ++i;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace daf
