#include "daf/model/model_io.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/sha256.h"

namespace daf {

namespace {

std::recursive_mutex& generator_mutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

}  // namespace

FusionHead build_model(const ModelMetadata& metadata) {
  std::lock_guard<std::recursive_mutex> lock(generator_mutex());
  return FusionHead(metadata.config.model, metadata.input_dims, metadata.num_outputs());
}

FusionHead build_seeded_model(const ModelMetadata& metadata, uint64_t seed) {
  std::lock_guard<std::recursive_mutex> lock(generator_mutex());
  torch::manual_seed(seed);
  return build_model(metadata);
}

namespace {

std::string shape_text(const at::IntArrayRef& sizes) {
  std::string out = "[";
  for (size_t i = 0; i < sizes.size(); ++i) out += (i ? ", " : "") + std::to_string(sizes[i]);
  return out + "]";
}

}  // namespace

std::string save_weights(FusionHead& model, const std::string& path) {
  // Serialised in memory and written with checked writes: LibTorch's own file
  // writer aborts the process when the disk is full.
  std::ostringstream bytes;
  torch::save(model, bytes);
  const std::string data = bytes.str();
  write_file_atomic(path, data);
  Sha256 digest;
  digest.update(data);
  return digest.hex_digest();
}

void verify_sha256(const std::string& path, const std::string& bytes, const std::string& expected,
                   const std::string& recorded_in) {
  if (expected.empty()) return;
  Sha256 digest;
  digest.update(bytes);
  const std::string found = digest.hex_digest();
  if (found != expected)
    throw InputError(path + ": SHA-256 " + found + " differs from " + expected + " recorded in " + recorded_in +
                     ": the file is corrupt or was replaced");
}

void load_weights(FusionHead& model, const std::string& path, const std::string& expected_sha256) {
  if (!std::filesystem::exists(path)) throw InputError(path + ": model weights are missing");
  const std::string bytes = read_file(path);
  verify_sha256(path, bytes, expected_sha256, "model.yaml (weights_sha256)");
  // What model.yaml says each parameter's shape is; loading replaces the
  // tensors with the file's, whatever their shapes.
  std::map<std::string, std::vector<int64_t>> expected;
  for (const auto& item : model->named_parameters()) expected[item.key()] = item.value().sizes().vec();
  for (const auto& item : model->named_buffers()) expected[item.key()] = item.value().sizes().vec();
  try {
    std::istringstream stream(bytes);
    torch::load(model, stream);
  } catch (const c10::Error& e) {
    throw InputError(path + ": cannot load model weights (not a daf model.pt, or it does not match model.yaml): " +
                     e.what_without_backtrace());
  }
  auto check = [&](const std::string& name, const torch::Tensor& tensor) {
    const auto want = expected.find(name);
    if (want != expected.end() && tensor.sizes().vec() != want->second)
      throw InputError(path + ": parameter '" + name + "' has shape " + shape_text(tensor.sizes()) +
                       " but model.yaml describes a model whose '" + name + "' is " + shape_text(want->second) +
                       " (model.yaml and model.pt do not belong together)");
  };
  for (const auto& item : model->named_parameters()) check(item.key(), item.value());
  for (const auto& item : model->named_buffers()) check(item.key(), item.value());
}

LoadedModel load_model(const std::string& dir) {
  LoadedModel loaded;
  loaded.metadata = load_model_metadata(dir + "/model.yaml");
  loaded.model = build_model(loaded.metadata);
  load_weights(loaded.model, dir + "/model.pt", loaded.metadata.weights_sha256);
  return loaded;
}

}  // namespace daf
