#pragma once
// The missing-modality protocol of daf-ablate's `evaluate.missing_rate`: which
// test utterances lose which modality at a given rate. The draws come from
// fixed streams, one per modality name, that depend on nothing else (not the
// run, its seed or its condition), so every condition and seed of a sweep
// sees the same masks; and they are nested: an utterance that misses a
// modality at one rate misses it at every higher rate.
#include <cstdint>
#include <string>
#include <vector>

namespace daf {

constexpr uint64_t kMissingSeed = 20251001;

// u(m, row) for rows 0..rows-1, uniform in [0, 1): std::mt19937_64 seeded with
// kMissingSeed XOR FNV-1a-64(m), 53 bits per draw (the same on every platform).
std::vector<double> missing_draws(const std::string& modality, int64_t rows);

// `present`: [rows, M] row-major, 1 where the data has the modality. `target`:
// one of `modalities`, or "any". Returns [rows, M]: 1 where the protocol
// removes the modality.
// - a modality m: the round(rate * rows) utterances with the smallest u(m, row) lose m;
// - "any": every utterance loses every modality m whose u(m, row) < rate.
// An utterance never loses its last present modality: a targeted utterance
// whose only modality is m keeps it, and under "any" the present modality with
// the largest draw stays.
std::vector<uint8_t> missing_mask(const std::vector<std::string>& modalities, const std::vector<uint8_t>& present,
                                  const std::string& target, double rate);

}  // namespace daf
