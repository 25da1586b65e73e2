#pragma once
// Readers of the standard tokenizer files, strict where Hugging Face is lenient:
// every error names the file and line (a duplicate token, a bad merges line).
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace daf::text {

using Vocabulary = std::unordered_map<std::string, int64_t>;

// BERT's vocab.txt: one token per line, id = line number - 1, trailing whitespace
// (and a CR) dropped as Hugging Face does. InputError for an empty file, an empty
// line or a token that appears twice.
Vocabulary read_vocab_txt(const std::string& path, int64_t& size);

// vocab.json: one JSON object of token -> id (non-negative integers). InputError
// naming the line for anything else, a repeated token or a repeated id.
Vocabulary read_vocab_json(const std::string& path, int64_t& size);

// merges.txt: "#version" lines skipped, then one "left right" pair per line, in rank
// order. InputError for a line that is not exactly two symbols separated by one space.
struct Merge {
  std::string left, right;
  int64_t line = 0;
};
std::vector<Merge> read_merges(const std::string& path);

}  // namespace daf::text
