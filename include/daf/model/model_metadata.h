#pragma once
// What a trained model needs besides its weights: modalities and widths,
// normalisation statistics, task and the resolved config. Stored as
// model.yaml beside model.pt, readable by people and by other tools.
#include <map>
#include <string>
#include <vector>

#include "daf/config/config.h"
#include "daf/model/feature_stats.h"

namespace daf {

struct ModelMetadata {
  std::string daf_version;
  Config config;                      // resolved config the model was trained with
  std::vector<int64_t> input_dims;    // per modality, in config.data.modalities order
  std::map<std::string, FeatureStats> normalization;  // empty when data.normalize is false
  std::string weights_sha256;         // of model.pt, recorded when the run finishes; checked on load
  // Per modality: the encoder the training features came from, as the cache recorded it
  // ("text_encoder.pt sha256=HEX", "source=daf-synth"); daf-predict checks its encoders against it.
  std::map<std::string, std::string> encoders;

  // The loss weights the run trained with, resolved from train.class_weights
  // or train.pos_weight (balanced: from the train split); empty when none.
  std::vector<float> loss_weights;

  const std::vector<std::string>& modalities() const { return config.data.modalities; }
  // 1 for regression, one logit per class or per label otherwise.
  int64_t num_outputs() const;
};

// "NAME sha256=HEX [tokenizer=HEX]" from a cache's attributes of one modality (encoder,
// encoder_sha256, tokenizer_fingerprint), "source=S" when only the source is known,
// "unknown" otherwise.
std::string describe_encoder(const std::map<std::string, std::string>& modality_attributes);

void save_model_metadata(const std::string& path, const ModelMetadata& metadata);
ModelMetadata load_model_metadata(const std::string& path);

}  // namespace daf
