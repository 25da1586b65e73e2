// daf-predict's JSON Lines input: one utterance per line. Torch-free (fuzzed on its own).
#include <cmath>
#include <cstdlib>

#include "daf/predict/prediction.h"
#include "daf/util/error.h"
#include "daf/util/json_line.h"
#include "daf/util/strings.h"

namespace daf {

Utterance parse_utterance_json(const std::string& line, const std::string& origin, int64_t line_number) {
  const std::string where = origin + ":" + std::to_string(line_number);
  Utterance u;
  u.where = where;
  u.split = "test";
  for (const auto& [key, value] : parse_json_object_line(line, where)) {
    if (key == "id") u.id = value.text;
    else if (key == "text") u.text = value.text;
    else if (key == "audio") u.audio = value.text;
    else if (key == "start" || key == "end") {
      char* rest = nullptr;
      const double seconds = value.is_null ? -1 : std::strtod(value.text.c_str(), &rest);
      if (value.is_null || rest == value.text.c_str() || *rest != '\0' || !(seconds >= 0) || !std::isfinite(seconds))
        throw InputError(where + ": '" + key + "' must be a number of seconds >= 0, found " +
                         (value.is_string ? json_escape(value.text) : value.is_null ? "null" : value.text));
      (key == "start" ? u.start : u.end) = seconds;
    } else {
      throw InputError(where + ": unknown key '" + key + "'" + did_you_mean(key, {"id", "text", "audio", "start", "end"}));
    }
  }
  if (u.id.empty()) u.id = "line-" + std::to_string(line_number);
  if (u.end > 0 && u.end <= u.start) throw InputError(where + ": end must be after start");
  return u;
}

}  // namespace daf
