#include "daf/data/synthetic.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/metrics/regression_metrics.h"
#include "daf/util/error.h"
#include "daf/util/memory.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

constexpr int kLatent = 8;  // s_seen, q, 6 nuisance factors

struct ModalityModel {
  std::string name;
  int64_t dim;
  std::vector<float> projection;  // [dim, kLatent]
};

ModalityModel make_modality(const std::string& name, int64_t dim, std::mt19937_64& rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f / std::sqrt(static_cast<float>(kLatent)));
  ModalityModel m{name, dim, std::vector<float>(static_cast<size_t>(dim * kLatent))};
  for (auto& w : m.projection) w = normal(rng);
  return m;
}

void emit_features(const ModalityModel& m, const float* latent, double noise, std::mt19937_64& rng, float* out) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (int64_t d = 0; d < m.dim; ++d) {
    float v = 0;
    for (int k = 0; k < kLatent; ++k) v += m.projection[static_cast<size_t>(d * kLatent + k)] * latent[k];
    out[d] = v + static_cast<float>(noise) * normal(rng);
  }
}

SplitData generate_split(const SynthConfig& c, const std::string& split, int64_t size,
                         const std::vector<ModalityModel>& models, std::mt19937_64& rng) {
  std::normal_distribution<double> sentiment(c.sentiment_mean, c.sentiment_std);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto draw_sentiment = [&] { return std::clamp(sentiment(rng), -3.0, 3.0); };

  SplitData data;
  for (const auto& m : models) data.features[m.name] = FeatureMatrix(size, m.dim);
  auto& labels = data.labels["sentiment"];
  auto& noisy_text = data.labels["noisy_text"];
  auto& noisy_audio = data.labels["noisy_audio"];
  for (int64_t i = 0; i < size; ++i) {
    char id[64];
    std::snprintf(id, sizeof id, "synth_%s_%06lld", split.c_str(), static_cast<long long>(i));
    data.ids.push_back(id);
    const double s = draw_sentiment();
    const double annotated = std::clamp(s + c.label_noise * normal(rng), -3.0, 3.0);
    labels.push_back(static_cast<float>(round_half_even(annotated * 3.0) / 3.0));
    const double r = uniform(rng);
    const bool text_bad = r < c.noisy_text_rate;
    const bool audio_bad = !text_bad && r < c.noisy_text_rate + c.noisy_audio_rate;
    noisy_text.push_back(text_bad ? 1.0f : 0.0f);
    noisy_audio.push_back(audio_bad ? 1.0f : 0.0f);
    for (const auto& m : models) {
      const bool bad = (m.name == "text" && text_bad) || (m.name == "audio" && audio_bad);
      float latent[kLatent];
      latent[0] = static_cast<float>(bad ? draw_sentiment() : s);
      if (m.name == "video") latent[0] *= static_cast<float>(c.video_signal);
      latent[1] = (bad ? -1.0f : 1.0f) + 0.3f * normal(rng);
      for (int k = 2; k < kLatent; ++k) latent[k] = normal(rng);
      emit_features(m, latent, c.feature_noise, rng, data.features[m.name].row(i));
    }
  }
  return data;
}

}  // namespace

void declare_synth_options(OptionSet& o, SynthConfig& c) {
  o.add("synth.seed", c.seed, 7, "seed of the generator (projections and utterances)", Range::at_least(0));
  o.add("synth.train_size", c.train_size, 2000, "utterances in the train split", Range::at_least(2));
  o.add("synth.valid_size", c.valid_size, 500, "utterances in the valid split", Range::at_least(2));
  o.add("synth.test_size", c.test_size, 1000, "utterances in the test split", Range::at_least(2));
  o.add("synth.text_dim", c.text_dim, 768, "text feature width (MOSEI BERT: 768)", Range::at_least(1));
  o.add("synth.audio_dim", c.audio_dim, 74, "audio feature width (MOSEI COVAREP: 74)", Range::at_least(1));
  o.add("synth.video_dim", c.video_dim, 35, "video feature width (MOSEI FACET: 35)", Range::at_least(1));
  o.add("synth.sentiment_mean", c.sentiment_mean, 0.2, "mean of the latent sentiment", Range::closed(-3, 3));
  o.add("synth.sentiment_std", c.sentiment_std, 1.3, "spread of the latent sentiment", Range::above(0));
  o.add("synth.noisy_text_rate", c.noisy_text_rate, 0.3, "share of utterances whose text view is wrong",
        Range::closed(0, 1));
  o.add("synth.noisy_audio_rate", c.noisy_audio_rate, 0.3, "share of utterances whose audio view is wrong",
        Range::closed(0, 1));
  o.add("synth.feature_noise", c.feature_noise, 1.0, "std of the Gaussian noise added to every feature",
        Range::at_least(0));
  o.add("synth.label_noise", c.label_noise, 0.4, "std of the annotators' disagreement added to the label",
        Range::at_least(0));
  o.add("synth.video_signal", c.video_signal, 0.3, "how strongly video features carry the sentiment",
        Range::closed(0, 1));
}

std::vector<std::string> synth_presets() { return {"tiny", "demo", "mosei"}; }

std::vector<std::string> synth_preset_overrides(const std::string& preset) {
  if (preset == "tiny") return {"synth.train_size=240", "synth.valid_size=80", "synth.test_size=80"};
  if (preset == "demo") return {"synth.train_size=2000", "synth.valid_size=500", "synth.test_size=1000"};
  if (preset == "mosei") return {"synth.train_size=16326", "synth.valid_size=1871", "synth.test_size=4659"};
  throw InputError("--preset: expected one of " + join(synth_presets(), "|") + ", found '" + preset + "'" +
                   did_you_mean(preset, synth_presets()));
}

SynthConfig load_synth_config(const std::string& preset, const std::string& file,
                              const std::vector<std::string>& overrides) {
  SynthConfig config;
  OptionSet options;
  declare_synth_options(options, config);
  // The preset comes first, so a config file and overrides can refine it.
  apply_config_sources(options, "", preset.empty() ? std::vector<std::string>{} : synth_preset_overrides(preset));
  apply_config_sources(options, file, overrides);
  const double rows = static_cast<double>(config.train_size) + config.valid_size + config.test_size;
  const double width = static_cast<double>(config.text_dim) + config.audio_dim + config.video_dim;
  check_memory_request(rows * width * sizeof(float) + rows * 64.0, "synth: the cache",
                       format_number(rows) + " utterances x " + format_number(width) + " features x 4 bytes");
  if (config.noisy_text_rate + config.noisy_audio_rate > 1.0)
    throw InputError("synth.noisy_text_rate + synth.noisy_audio_rate: expected at most 1, found " +
                     format_number(config.noisy_text_rate + config.noisy_audio_rate));
  return config;
}

EmbeddingCache generate_synthetic_cache(const SynthConfig& c) {
  std::mt19937_64 rng(static_cast<uint64_t>(c.seed));
  const std::vector<ModalityModel> models = {make_modality("text", c.text_dim, rng),
                                             make_modality("audio", c.audio_dim, rng),
                                             make_modality("video", c.video_dim, rng)};
  EmbeddingCache cache;
  cache.splits["train"] = generate_split(c, "train", c.train_size, models, rng);
  cache.splits["valid"] = generate_split(c, "valid", c.valid_size, models, rng);
  cache.splits["test"] = generate_split(c, "test", c.test_size, models, rng);
  for (const auto& m : models) {
    cache.modality_attributes[m.name]["encoder"] = "daf-synth";
    cache.modality_attributes[m.name]["pooling"] = "none";
    cache.modality_attributes[m.name]["source"] = "synthetic (seed " + std::to_string(c.seed) + ")";
  }
  return cache;
}

}  // namespace daf
