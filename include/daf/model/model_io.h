#pragma once
// Building a fusion head from its metadata, and saving/loading its weights.
#include <string>

#include "daf/model/fusion_head.h"
#include "daf/model/model_metadata.h"

namespace daf {

FusionHead build_model(const ModelMetadata& metadata);

void save_weights(FusionHead& model, const std::string& path);  // atomic
void load_weights(FusionHead& model, const std::string& path);  // InputError naming the file

struct LoadedModel {
  ModelMetadata metadata;
  FusionHead model{nullptr};
};

// Reads model.yaml and model.pt from a run directory.
LoadedModel load_model(const std::string& dir);

}  // namespace daf
