#include "text/special_tokens.h"

#include "text/unicode.h"

namespace daf::text {
namespace {

// Where the run of whitespace that ends at byte `end` starts, not before `floor`.
size_t whitespace_start(const std::string& text, size_t end, size_t floor) {
  while (end > floor) {
    size_t start = end - 1;
    while (start > floor && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    const std::u32string c = decode_utf8(text.substr(start, end - start));
    if (c.size() != 1 || !is_white_space(c[0])) break;
    end = start;
  }
  return end;
}

}  // namespace

void SpecialTokens::add(const std::string& token, int64_t id, bool lstrip) {
  if (token.empty()) return;
  for (const auto& known : tokens_)
    if (known.text == token) return;
  tokens_.push_back({token, id, lstrip});
}

std::vector<TextPart> SpecialTokens::split(const std::string& text) const {
  std::vector<TextPart> parts;
  size_t plain_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    const Token* best = nullptr;
    for (const auto& token : tokens_)
      if (text.compare(i, token.text.size(), token.text) == 0 && (!best || token.text.size() > best->text.size()))
        best = &token;
    if (!best) {
      ++i;
      continue;
    }
    const size_t start = best->lstrip ? whitespace_start(text, i, plain_start) : i;
    if (start > plain_start) parts.push_back({text.substr(plain_start, start - plain_start), -1});
    parts.push_back({best->text, best->id});
    i += best->text.size();
    plain_start = i;
  }
  if (plain_start < text.size()) parts.push_back({text.substr(plain_start), -1});
  return parts;
}

void SpecialTokens::encode(const std::string& text, std::vector<int64_t>& ids, std::vector<std::string>& pieces,
                           const std::function<void(const std::string&)>& plain) const {
  if (tokens_.empty()) {
    plain(text);
    return;
  }
  for (const auto& part : split(text)) {
    if (part.special_id < 0) {
      plain(part.text);
      continue;
    }
    ids.push_back(part.special_id);
    pieces.push_back(part.text);
  }
}

}  // namespace daf::text
