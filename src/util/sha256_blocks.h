#pragma once
// SHA-256's compression function over whole 64-byte blocks: the portable
// code, and the x86 SHA extensions where the CPU has them (every checkpoint
// and saved model is hashed; the extensions take ~5x less time per byte).
// Both give the same state; Sha256 picks one once.
#include <cstddef>
#include <cstdint>

namespace daf {

// The 64 round constants (FIPS 180-4, 4.2.2).
extern const uint32_t kSha256Round[64];

void sha256_blocks_portable(uint32_t state[8], const uint8_t* data, size_t blocks);

// False where the CPU (or the build's target) has no SHA extensions.
bool sha256_hardware_available();
// Only where sha256_hardware_available().
void sha256_blocks_hardware(uint32_t state[8], const uint8_t* data, size_t blocks);

}  // namespace daf
