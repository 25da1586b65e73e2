// daf-predict's JSON Lines input (the pipe and JSON Lines manifests share the reader):
// each line of the input is one utterance object.
#include <string>

#include "daf/predict/prediction.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  size_t start = 0;
  for (int64_t line = 1; start <= text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    daf::fuzz::expect_clean_errors([&] { daf::parse_utterance_json(text.substr(start, end - start), "fuzz", line); });
    start = end + 1;
  }
  return 0;
}
