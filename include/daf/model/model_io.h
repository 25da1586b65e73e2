#pragma once
// Building a fusion head from its metadata, and saving/loading its weights.
#include <cstdint>
#include <string>

#include "daf/model/fusion_head.h"
#include "daf/model/model_metadata.h"

namespace daf {

// LibTorch's modules draw their initial weights from the process-wide
// generator. Every construction holds one lock, so a seeded build is never
// interleaved with another thread's build (a sweep evaluating a finished run,
// whose throw-away initial weights also come from that generator, while it
// initialises the next group).
FusionHead build_model(const ModelMetadata& metadata);
// Parameter initialisation as daf-train does it: the global generator seeded
// with `seed`, under the same lock.
FusionHead build_seeded_model(const ModelMetadata& metadata, uint64_t seed);

// Atomic, every write checked; returns the file's SHA-256.
std::string save_weights(FusionHead& model, const std::string& path);
// InputError naming the file: missing, unreadable, a parameter missing or of
// another shape than `model` has (e.g. a hand-edited model.yaml), or a SHA-256
// other than `expected_sha256` (when given).
void load_weights(FusionHead& model, const std::string& path, const std::string& expected_sha256 = "");
// InputError naming the file and both digests when they differ.
void verify_sha256(const std::string& path, const std::string& bytes, const std::string& expected,
                   const std::string& recorded_in);

struct LoadedModel {
  ModelMetadata metadata;
  FusionHead model{nullptr};
};

// Reads model.yaml and model.pt from a run directory.
LoadedModel load_model(const std::string& dir);

}  // namespace daf
