#include "daf/text/tokenize_lines.h"

#include <istream>
#include <ostream>

#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {

std::string encoding_json(const std::string& text, const Encoding& encoding) {
  std::string out = "{\"text\": " + json_escape(text) + ", \"ids\": [";
  for (size_t i = 0; i < encoding.ids.size(); ++i) out += (i ? ", " : "") + std::to_string(encoding.ids[i]);
  out += "], \"pieces\": [";
  for (size_t i = 0; i < encoding.pieces.size(); ++i) out += (i ? ", " : "") + json_escape(encoding.pieces[i]);
  return out + "]}";
}

int64_t tokenize_lines(const Tokenizer& tokenizer, std::istream& in, std::ostream& out, const std::string& origin) {
  std::string line;
  int64_t count = 0;
  while (std::getline(in, line)) {
    ++count;
    size_t bad = 0;
    if (!is_valid_utf8(line, &bad))
      throw InputError(origin + ":" + std::to_string(count) + ": the text is not valid UTF-8 (byte " +
                       std::to_string(bad) + " of the line)");
    // A failed write (a full disk, a closed pipe) ends the loop; the caller reports it.
    if (!(out << encoding_json(line, tokenizer.encode(line)) << '\n' << std::flush)) return count;
  }
  return count;
}

}  // namespace daf
