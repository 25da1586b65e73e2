#pragma once
// daf-tokenize's work: one text per input line (split on "\n" only, so a "\r" stays
// part of its text) -> one JSON object per output line.
#include <iosfwd>
#include <string>

#include "daf/text/tokenizer.h"

namespace daf {

// {"text": ..., "ids": [...], "pieces": [...]}
std::string encoding_json(const std::string& text, const Encoding& encoding);

// Tokenizes every line of `in`, writing and flushing one JSON line per input line;
// returns the number of lines. InputError "ORIGIN:LINE: ..." for a line that is
// not valid UTF-8 (the lines before it are already written).
int64_t tokenize_lines(const Tokenizer& tokenizer, std::istream& in, std::ostream& out, const std::string& origin);

}  // namespace daf
