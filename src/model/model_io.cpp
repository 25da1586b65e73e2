#include "daf/model/model_io.h"

#include <filesystem>

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"

namespace daf {

FusionHead build_model(const ModelMetadata& metadata) {
  return FusionHead(metadata.config.model, metadata.input_dims, metadata.num_outputs());
}

void save_weights(FusionHead& model, const std::string& path) {
  AtomicOutput output(path);
  torch::save(model, output.temp_path());
  output.commit();
}

void load_weights(FusionHead& model, const std::string& path) {
  if (!std::filesystem::exists(path)) throw InputError(path + ": model weights are missing");
  try {
    torch::load(model, path);
  } catch (const c10::Error& e) {
    throw InputError(path + ": cannot load model weights (not a daf model.pt, or it does not match model.yaml): " +
                     e.what_without_backtrace());
  }
}

LoadedModel load_model(const std::string& dir) {
  LoadedModel loaded;
  loaded.metadata = load_model_metadata(dir + "/model.yaml");
  loaded.model = build_model(loaded.metadata);
  load_weights(loaded.model, dir + "/model.pt");
  return loaded;
}

}  // namespace daf
