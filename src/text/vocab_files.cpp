#include "text/vocab_files.h"

#include <map>

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "text/unicode.h"

namespace daf::text {
namespace {

// The file's text without a leading byte-order mark (editors on Windows write one).
std::string read_text(const std::string& path, const std::string& what) {
  const std::string text = without_bom(read_file(path));
  size_t bad = 0;
  if (!is_valid_utf8(text, &bad))
    throw InputError(path + ": " + what + " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  return text;
}

// A strict reader of one JSON object whose values are integers; tracks lines for errors.
class JsonVocabReader {
 public:
  JsonVocabReader(const std::string& text, const std::string& path) : text_(text), path_(path) {}

  Vocabulary read(int64_t& size) {
    Vocabulary vocab;
    std::map<int64_t, std::pair<std::string, int64_t>> by_id;  // id -> token, line
    skip_space();
    expect('{', "a JSON object of token -> id");
    skip_space();
    if (peek() == '}') fail("an empty vocabulary", "at least one token");
    while (true) {
      skip_space();
      const int64_t token_line = line_;
      const std::string token = read_string();
      skip_space();
      expect(':', "':' after the token");
      skip_space();
      const int64_t id = read_id(token);
      if (vocab.count(token)) fail("token '" + token + "' a second time", "each token once", token_line);
      if (const auto it = by_id.find(id); it != by_id.end())
        fail("id " + std::to_string(id) + " for '" + token + "'", "each id once (it is '" + it->second.first +
             "''s on line " + std::to_string(it->second.second) + ")", token_line);
      vocab.emplace(token, id);
      by_id.emplace(id, std::make_pair(token, token_line));
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}', "',' or '}'");
      break;
    }
    skip_space();
    if (pos_ != text_.size()) fail("text after the object", "nothing");
    // Ids number the tokens 0..N-1 (as every Hugging Face vocab.json does); a larger id
    // would also make the id -> token table as large as the id.
    const auto& [largest, where] = *by_id.rbegin();
    if (largest >= static_cast<int64_t>(vocab.size()))
      fail("id " + std::to_string(largest) + " for '" + where.first + "' with " + std::to_string(vocab.size()) +
               " tokens",
           "ids 0.." + std::to_string(vocab.size() - 1) + ", one per token", where.second);
    size = largest + 1;
    return vocab;
  }

 private:
  [[noreturn]] void fail(const std::string& found, const std::string& expected, int64_t line = 0) const {
    throw InputError(path_ + ":" + std::to_string(line ? line : line_) + ": vocab.json: expected " + expected +
                     ", found " + found);
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  std::string describe_here() const {
    if (pos_ >= text_.size()) return "the end of the file";
    return "'" + text_.substr(pos_, 1) + "'";
  }
  void expect(char c, const std::string& what) {
    if (peek() != c) fail(describe_here(), what);
    ++pos_;
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      if (text_[pos_] == '\n') ++line_;
      ++pos_;
    }
  }
  unsigned hex4() {
    if (pos_ + 4 > text_.size()) fail("a cut \\u escape", "four hex digits");
    unsigned value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9') value |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') value |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') value |= static_cast<unsigned>(c - 'A' + 10);
      else fail("'" + std::string(1, c) + "' in a \\u escape", "a hex digit");
    }
    return value;
  }
  std::string read_string() {
    expect('"', "a token in double quotes");
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) fail("the end of the file inside a token", "a closing '\"'");
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("a raw control character inside a token", "an escape");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      const char e = peek();
      ++pos_;
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00) {
            if (text_.compare(pos_, 2, "\\u") != 0) fail("a lone surrogate escape", "a surrogate pair");
            pos_ += 2;
            const unsigned low = hex4();
            if (low < 0xDC00 || low >= 0xE000) fail("a lone surrogate escape", "a surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            fail("a lone surrogate escape", "a surrogate pair");
          }
          append_utf8(out, static_cast<char32_t>(cp));
          break;
        }
        default: fail("the escape '\\" + std::string(1, e) + "'", "a JSON escape");
      }
    }
  }
  int64_t read_id(const std::string& token) {
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    const char after = peek();
    if (pos_ == start || after == '.' || after == 'e' || after == 'E' || pos_ - start > 12)
      fail(pos_ == start ? describe_here() + " as the id of '" + token + "'" : "a non-integer id for '" + token + "'",
           "a non-negative integer id");
    return std::stoll(text_.substr(start, pos_ - start));
  }

  const std::string& text_;
  const std::string& path_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

}  // namespace

Vocabulary read_vocab_txt(const std::string& path, int64_t& size) {
  const std::string text = read_text(path, "the vocabulary");
  Vocabulary vocab;
  std::vector<std::string> lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.empty()) throw InputError(path + ": vocab.txt: expected one token per line, found an empty file");
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string token = lines[i];
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\r')) token.pop_back();
    const std::string where = path + ":" + std::to_string(i + 1) + ": vocab.txt: ";
    if (token.empty()) throw InputError(where + "expected a token, found an empty line");
    const auto [it, inserted] = vocab.emplace(token, static_cast<int64_t>(i));
    if (!inserted)
      throw InputError(where + "token '" + token + "' appears a second time (first on line " +
                       std::to_string(it->second + 1) + "); each token needs one id");
  }
  size = static_cast<int64_t>(lines.size());
  return vocab;
}

Vocabulary read_vocab_json(const std::string& path, int64_t& size) {
  const std::string text = read_text(path, "the vocabulary");
  return JsonVocabReader(text, path).read(size);
}

std::vector<Merge> read_merges(const std::string& path) {
  const std::string text = read_text(path, "the merges file");
  std::vector<std::string> lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::vector<Merge> merges;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF line endings
    if (line.rfind("#version", 0) == 0) continue;
    const auto parts = split(line, ' ');
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty())
      throw InputError(path + ":" + std::to_string(i + 1) + ": merges.txt: expected two symbols separated by one "
                       "space, found '" + line + "'");
    merges.push_back({parts[0], parts[1], static_cast<int64_t>(i + 1)});
  }
  return merges;
}

}  // namespace daf::text
