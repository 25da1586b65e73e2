#include "daf/util/json_line.h"

#include <nlohmann/json.hpp>

#include <set>

#include "daf/util/error.h"

namespace daf {
namespace {

using json = nlohmann::json;

// SAX events -> one flat object; anything else is an InputError.
class FlatObjectReader : public nlohmann::json_sax<json> {
 public:
  explicit FlatObjectReader(const std::string& where) : where_(where) {}
  std::vector<std::pair<std::string, JsonScalar>> fields;

  bool null() override { return scalar({"", false, true}); }
  bool boolean(bool value) override { return scalar({value ? "true" : "false", false, false}); }
  bool number_integer(number_integer_t value) override { return scalar({std::to_string(value), false, false}); }
  bool number_unsigned(number_unsigned_t value) override { return scalar({std::to_string(value), false, false}); }
  bool number_float(number_float_t, const string_t& text) override { return scalar({text, false, false}); }
  bool string(string_t& value) override { return scalar({value, true, false}); }
  bool binary(binary_t&) override { return nested("binary data"); }
  bool start_object(std::size_t) override {
    if (depth_++ == 0) return true;
    return nested("an object");
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0) throw InputError(where_ + ": expected a JSON object, found an array");
    return nested("an array");
  }
  bool end_array() override { return true; }
  bool key(string_t& name) override {
    if (!keys_.insert(name).second) throw InputError(where_ + ": key '" + name + "' appears twice");
    key_ = name;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line 1, column 17: syntax error ...".
    std::string reason = error.what();
    const size_t column = reason.find(", column ");
    const size_t colon = column == std::string::npos ? std::string::npos : reason.find(": ", column);
    reason = colon == std::string::npos ? reason : reason.substr(colon + 2);
    throw InputError(where_ + ":" + std::to_string(position) + ": not valid JSON: " + reason);
  }

 private:
  bool scalar(JsonScalar value) {
    if (depth_ == 0) throw InputError(where_ + ": expected a JSON object, found a single value");
    fields.emplace_back(key_, std::move(value));
    return true;
  }
  bool nested(const std::string& what) {
    throw InputError(where_ + ": '" + key_ + "': expected a string or number, found " + what);
  }

  const std::string& where_;
  int depth_ = 0;
  std::string key_;
  std::set<std::string> keys_;
};

}  // namespace

std::vector<std::pair<std::string, JsonScalar>> parse_json_object_line(const std::string& line,
                                                                       const std::string& where) {
  FlatObjectReader reader(where);
  json::sax_parse(line, &reader);
  return std::move(reader.fields);
}

}  // namespace daf
