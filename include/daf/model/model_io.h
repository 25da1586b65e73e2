#pragma once
// Building a fusion head from its metadata, and saving/loading its weights.
#include <string>

#include "daf/model/fusion_head.h"
#include "daf/model/model_metadata.h"

namespace daf {

FusionHead build_model(const ModelMetadata& metadata);

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
