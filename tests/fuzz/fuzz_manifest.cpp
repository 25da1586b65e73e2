// The daf-extract manifest reader: the first byte picks CSV or JSON Lines and
// the fail or skip policy, the rest is the file.
#include "daf/extract/manifest.h"
#include "daf/extract/skip_report.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool jsonl = data[0] & 1, skip = data[0] & 2, labels = data[0] & 4;
  const std::string path = daf::fuzz::write_input(jsonl ? "m.jsonl" : "m.csv", data + 1, size - 1);
  daf::fuzz::expect_clean_errors([&] {
    daf::SkipReport problems(skip);
    daf::read_manifest(path, labels ? std::vector<std::string>{"sentiment"} : std::vector<std::string>{}, problems);
  });
  return 0;
}
