// The training config loader (YAML + cross-key checks), fed arbitrary text.
#include "daf/config/config.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  daf::fuzz::expect_clean_errors([&] { daf::load_config_text(text, "fuzz.yaml", {}); });
  return 0;
}
