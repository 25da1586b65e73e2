#pragma once
// One line of JSON Lines: a JSON object (RFC 8259, as Python's json module writes
// it, \uD83D\uDE00 surrogate pairs included) whose values are scalars.
#include <string>
#include <utility>
#include <vector>

namespace daf {

struct JsonScalar {
  std::string text;    // a string's value, a number as written, "true"/"false"; "" for null
  bool is_string = false;
  bool is_null = false;
};

// The object's keys and values in the order written. InputError "<where>:<column>: ..."
// (the byte, from 1, where the parser stopped: at or just after the bad token) for text that is not JSON, "<where>: ..." for a value that is
// an array or object, a key given twice, or a line that is not an object.
std::vector<std::pair<std::string, JsonScalar>> parse_json_object_line(const std::string& line,
                                                                       const std::string& where);

}  // namespace daf
