#include "daf/extract/embed.h"

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "passes.h"

namespace daf {

struct Embedder::Impl {
  ExtractConfig config;
  std::unique_ptr<extract::TextModels> text;
  std::unique_ptr<extract::SpeechModels> speech;
};

Embedder::Embedder(const ExtractConfig& config) : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  if (!config.text.encoder.empty())
    impl_->text = std::make_unique<extract::TextModels>(extract::load_text_models(config));
  if (!config.audio.encoder.empty())
    impl_->speech = std::make_unique<extract::SpeechModels>(extract::load_speech_models(config));
}

Embedder::~Embedder() = default;

std::map<std::string, std::map<std::string, std::string>> Embedder::provenance() const {
  std::map<std::string, std::map<std::string, std::string>> out;
  if (impl_->text) {
    out[impl_->config.text.modality] = impl_->text->attributes;
    out[impl_->config.text.modality]["dims"] = std::to_string(impl_->text->dims);
  }
  if (impl_->speech) {
    out[impl_->config.audio.modality] = impl_->speech->attributes;
    out[impl_->config.audio.modality]["dims"] = std::to_string(impl_->speech->dims);
  }
  return out;
}

Embeddings Embedder::embed(const std::vector<Utterance>& rows, SkipReport& problems) {
  const ExtractConfig& config = impl_->config;
  Embeddings out;
  PartialResults partial;
  // Never saved: the interval outlasts any run.
  extract::Checkpointer checkpoint("", partial, 1e18);
  std::vector<const Utterance*> with_text, with_audio;
  for (const auto& row : rows) {
    if (!trim(row.text).empty()) with_text.push_back(&row);
    if (!row.audio.empty()) with_audio.push_back(&row);
  }
  if (impl_->text && !with_text.empty()) {
    extract::PassContext context{config, with_text, partial, problems, checkpoint};
    out.summaries.push_back(extract::run_text_pass(context, *impl_->text).summary(config.bucketing));
  }
  if (impl_->speech && !with_audio.empty()) {
    extract::PassContext context{config, with_audio, partial, problems, checkpoint};
    out.summaries.push_back(extract::run_speech_pass(context, *impl_->speech).summary(config.bucketing));
  }
  out.modalities = std::move(partial.modalities);
  return out;
}

ExtractConfig load_encoder_config(const std::string& file, const std::vector<std::string>& overrides) {
  ExtractConfig config;
  OptionSet options;
  declare_extract_options(options, config);
  apply_config_sources(options, file, overrides);
  if (config.text.encoder.empty() && config.audio.encoder.empty())
    throw InputError((file.empty() ? std::string("the encoder config") : file) +
                     ": no encoder: set text.encoder and/or audio.encoder");
  if (!config.text.encoder.empty()) check_tokenizer_options(options, config.text.tokenizer);
  if (!config.text.encoder.empty() && !config.audio.encoder.empty() && config.text.modality == config.audio.modality)
    throw InputError("text.modality and audio.modality are both '" + config.text.modality + "'");
  return config;
}

}  // namespace daf
