#include "daf/extract/embed.h"

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "passes.h"

namespace daf {

Embeddings embed_utterances(const ExtractConfig& config, const std::vector<Utterance>& rows, SkipReport& problems) {
  Embeddings out;
  PartialResults partial;
  // Never saved: the interval outlasts any run.
  extract::Checkpointer checkpoint("", partial, 1e18);
  std::vector<const Utterance*> with_text, with_audio;
  for (const auto& row : rows) {
    if (!trim(row.text).empty()) with_text.push_back(&row);
    if (!row.audio.empty()) with_audio.push_back(&row);
  }
  if (!config.text.encoder.empty() && !with_text.empty()) {
    extract::PassContext context{config, with_text, partial, problems, checkpoint};
    out.summaries.push_back(extract::run_text_pass(context).summary(config.bucketing));
  }
  if (!config.audio.encoder.empty() && !with_audio.empty()) {
    extract::PassContext context{config, with_audio, partial, problems, checkpoint};
    out.summaries.push_back(extract::run_speech_pass(context).summary(config.bucketing));
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
