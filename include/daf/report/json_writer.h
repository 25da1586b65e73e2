#pragma once
// A small streaming JSON writer for reports (daf writes JSON, never reads it).
// NaN and infinities become null, as JSON has no such numbers.
#include <cstdint>
#include <string>
#include <vector>

#include "daf/util/strings.h"  // json_escape

namespace daf {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(const std::string& name);
  JsonWriter& value(double v);
  JsonWriter& value(int64_t v);
  JsonWriter& value(int v) { return value(static_cast<int64_t>(v)); }
  JsonWriter& value(bool v);
  JsonWriter& value(const std::string& v);
  JsonWriter& value(const char* v) { return value(std::string(v)); }

  std::string str() const { return out_ + "\n"; }

 private:
  void before_value();
  void newline();
  void close(char bracket);

  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace daf
