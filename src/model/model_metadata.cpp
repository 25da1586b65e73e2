#include "daf/model/model_metadata.h"

#include <yaml-cpp/yaml.h>

#include "daf/config/option_set.h"
#include "daf/config/task.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "daf/version.h"

namespace daf {
namespace {

void emit_floats(YAML::Emitter& out, const std::vector<float>& values) {
  out << YAML::Flow << YAML::BeginSeq;
  for (float v : values) out << format_number(v);
  out << YAML::EndSeq;
}

std::vector<float> read_floats(const YAML::Node& node, size_t expected, const std::string& where) {
  if (!node.IsSequence() || node.size() != expected)
    throw InputError(where + ": expected a list of " + std::to_string(expected) + " numbers");
  std::vector<float> values;
  for (const auto& item : node) values.push_back(item.as<float>());
  return values;
}

}  // namespace

int64_t ModelMetadata::num_outputs() const { return task_num_outputs(config); }

void save_model_metadata(const std::string& path, const ModelMetadata& metadata) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "daf_version" << YAML::Value << metadata.daf_version;
  out << YAML::Key << "input_dims" << YAML::Value << YAML::Flow << metadata.input_dims;
  if (!metadata.weights_sha256.empty())
    out << YAML::Key << "weights_sha256" << YAML::Value << metadata.weights_sha256;
  if (!metadata.encoders.empty()) {
    out << YAML::Key << "encoders" << YAML::Value << YAML::BeginMap;
    for (const auto& [modality, encoder] : metadata.encoders) out << YAML::Key << modality << YAML::Value << encoder;
    out << YAML::EndMap;
  }
  if (!metadata.loss_weights.empty()) {
    out << YAML::Key << "loss_weights" << YAML::Value;
    emit_floats(out, metadata.loss_weights);
  }
  out << YAML::Key << "config" << YAML::Value << YAML::Load(config_to_yaml(metadata.config));
  out << YAML::Key << "normalization" << YAML::Value << YAML::BeginMap;
  for (const auto& [modality, stats] : metadata.normalization) {
    out << YAML::Key << modality << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "mean" << YAML::Value;
    emit_floats(out, stats.mean);
    out << YAML::Key << "std" << YAML::Value;
    emit_floats(out, stats.std);
    out << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::EndMap;
  write_file_atomic(path, std::string(out.c_str()) + "\n");
}

std::string describe_encoder(const std::map<std::string, std::string>& attributes) {
  const auto get = [&](const char* key) {
    const auto it = attributes.find(key);
    return it == attributes.end() ? std::string() : it->second;
  };
  std::string text = get("encoder");
  if (!get("encoder_sha256").empty()) text += (text.empty() ? "" : " ") + std::string("sha256=") + get("encoder_sha256");
  // The tokenizer's files and settings (daf-extract caches since 0.1 record them).
  if (!get("tokenizer_fingerprint").empty()) text += " tokenizer=" + get("tokenizer_fingerprint");
  if (text.empty() && !get("source").empty()) text = "source=" + get("source");
  return text.empty() ? "unknown" : text;
}

ModelMetadata load_model_metadata(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(read_file(path));
  } catch (const YAML::Exception& e) {
    throw InputError(path + ": not valid YAML: " + e.msg);
  }
  if (!root.IsMap() || !root["config"] || !root["input_dims"])
    throw InputError(path + ": not a daf model metadata file (expected keys daf_version, input_dims, config)");
  ModelMetadata metadata;
  try {
    metadata.daf_version = root["daf_version"] ? root["daf_version"].as<std::string>() : "";
    metadata.input_dims = root["input_dims"].as<std::vector<int64_t>>();
    if (root["weights_sha256"]) metadata.weights_sha256 = root["weights_sha256"].as<std::string>();
  } catch (const YAML::Exception& e) {
    throw InputError(path + ": input_dims: expected a list of integers");
  }
  if (const YAML::Node encoders = root["encoders"]) {
    if (!encoders.IsMap()) throw InputError(path + ": encoders: expected a mapping of modality -> encoder");
    for (const auto& entry : encoders) {
      if (!entry.second.IsScalar()) throw InputError(path + ": encoders: expected a mapping of modality -> encoder");
      metadata.encoders[entry.first.as<std::string>()] = entry.second.as<std::string>();
    }
  }
  OptionSet options;
  declare_options(options, metadata.config);
  options.apply_yaml(root["config"], path);
  if (const YAML::Node weights = root["loss_weights"]) {
    try {
      metadata.loss_weights = read_floats(weights, static_cast<size_t>(metadata.num_outputs()), path + ": loss_weights");
    } catch (const YAML::Exception&) {
      throw InputError(path + ": loss_weights: expected a list of numbers");
    }
  }
  const auto& modalities = metadata.config.data.modalities;
  if (metadata.input_dims.size() != modalities.size())
    throw InputError(path + ": input_dims has " + std::to_string(metadata.input_dims.size()) +
                     " entries but config.data.modalities has " + std::to_string(modalities.size()));
  if (metadata.config.data.normalize) {
    const YAML::Node normalization = root["normalization"];
    for (size_t m = 0; m < modalities.size(); ++m) {
      const YAML::Node stats = normalization ? normalization[modalities[m]] : YAML::Node();
      const std::string where = path + ": normalization." + modalities[m];
      if (!stats || !stats.IsMap()) throw InputError(where + ": missing (data.normalize is true)");
      const auto dim = static_cast<size_t>(metadata.input_dims[m]);
      try {
        metadata.normalization[modalities[m]] = {read_floats(stats["mean"], dim, where + ".mean"),
                                                 read_floats(stats["std"], dim, where + ".std")};
      } catch (const YAML::Exception&) {
        throw InputError(where + ": expected lists of numbers");
      }
    }
  }
  return metadata;
}

}  // namespace daf
