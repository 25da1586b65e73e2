#pragma once

namespace daf {

// The library version, recorded in every model file.
const char* version();

}  // namespace daf
