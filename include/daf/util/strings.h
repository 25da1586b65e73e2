#pragma once
// Small string helpers used by config parsing and reports.
#include <string>
#include <vector>

namespace daf {

std::string join(const std::vector<std::string>& parts, const std::string& separator);
std::vector<std::string> split(const std::string& text, char separator);
std::string trim(const std::string& text);
// `text` with ASCII letters in lower case (other bytes unchanged).
std::string ascii_lower(std::string text);
// Whether `value` is one of `values`.
bool contains(const std::vector<std::string>& values, const std::string& value);

// A finite decimal number filling the whole of `text` (spaces around it allowed).
bool parse_number(const std::string& text, double& value);

// Levenshtein distance, used to suggest the closest valid key or value.
size_t edit_distance(const std::string& a, const std::string& b);

// The candidate closest to `word`, or "" when none is reasonably close.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// ", did you mean 'x'?" or "" when nothing is close.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF); `bad_offset` gets the first bad byte's offset.
bool is_valid_utf8(const std::string& text, size_t* bad_offset = nullptr);

// `text` without a leading UTF-8 byte-order mark (spreadsheet exports have one).
std::string without_bom(std::string text);

// `text` as a JSON string literal, quotes included (control characters escaped).
std::string json_escape(const std::string& text);

// Shortest decimal text that reads back as the same double (for configs and CSV).
std::string format_number(double value);
// Shortest decimal text that reads back as the same float (values stored as float32).
std::string format_float(float value);
// Fixed number of decimals, "nan" for NaN.
std::string format_fixed(double value, int decimals);

}  // namespace daf
