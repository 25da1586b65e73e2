#include "daf/data/synthetic.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/config/task.h"
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

// IEMOCAP's 4-class shares (neutral 1708, happy+excited 1636, sad 1084, angry 1103).
const std::vector<double> kClassShares = {0.309, 0.296, 0.196, 0.199};
// Shares of CMU-MOSEI utterances with each emotion present (intensity > 0).
const std::vector<double> kEmotionRates = {0.52, 0.25, 0.21, 0.10, 0.17, 0.08};

// Phi^-1(p) by bisection on erfc: precise enough for a generator's constants.
double normal_quantile(double p) {
  double lo = -10, hi = 10;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

// The emotion of one utterance: a class, or a latent z per emotion.
struct Emotion {
  int64_t label = 0;
  std::vector<double> z;
};

Emotion draw_emotion(const SynthConfig& c, std::mt19937_64& rng) {
  Emotion e;
  if (c.emotions == "categorical") {
    std::discrete_distribution<int64_t> pick(kClassShares.begin(), kClassShares.end());
    e.label = pick(rng);
  } else {
    std::normal_distribution<double> normal(0.0, 1.0);
    for (double rate : kEmotionRates) e.z.push_back(normal_quantile(rate) + normal(rng));
  }
  return e;
}

// What one view shows of the emotion: the truth, or (a noisy view) a wrong draw.
// `scale`: video, the weak view, carries it video_signal times as strongly.
void emotion_latent(const SynthConfig& c, const Emotion& truth, bool bad, double scale, std::mt19937_64& rng,
                    float* latent) {
  const double signal = c.emotion_signal * scale;
  if (c.emotions == "categorical") {
    int64_t seen = truth.label;
    if (bad) seen = (truth.label + 1 + std::uniform_int_distribution<int64_t>(0, 2)(rng)) % 4;
    for (int64_t k = 0; k < 4; ++k) latent[2 + k] = k == seen ? static_cast<float>(signal) : 0.0f;
    return;
  }
  const Emotion seen = bad ? draw_emotion(c, rng) : truth;
  for (size_t k = 0; k < seen.z.size(); ++k) latent[2 + k] = static_cast<float>(signal * seen.z[k]);
}

// The annotated labels of an utterance's emotion into `data`.
void annotate_emotion(const SynthConfig& c, const Emotion& e, std::mt19937_64& rng, SplitData& data) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  if (c.emotions == "categorical") {
    int64_t label = e.label;
    if (uniform(rng) < c.emotion_label_noise) label = (e.label + 1 + std::uniform_int_distribution<int64_t>(0, 2)(rng)) % 4;
    data.labels["emotion"].push_back(static_cast<float>(label));
    return;
  }
  for (size_t k = 0; k < e.z.size(); ++k) {
    // Present (z > 0) intensities round to thirds, the smallest being 1/3: P(present) = rate.
    double intensity = e.z[k] > 0 ? std::max(1.0, round_half_even(std::min(e.z[k], 3.0) * 3.0)) / 3.0 : 0.0;
    if (uniform(rng) < c.emotion_label_noise) intensity = intensity > 0 ? 0.0 : 1.0 / 3.0;
    data.labels[synth_emotion_labels()[k]].push_back(static_cast<float>(intensity));
  }
}

// Who speaks: speaker (and session) names and each speaker's shift of every view's nuisance factors.
// Drawn from their own stream, so the utterances' draws stay those of a cache without speakers.
struct Speakers {
  std::vector<std::string> names, sessions;
  std::vector<std::vector<float>> shift;  // [speaker][modality * kLatent + k], nonzero for nuisance k only
  std::mt19937_64 rng;
};

Speakers make_speakers(const SynthConfig& c, size_t modalities) {
  Speakers s;
  s.rng.seed(static_cast<uint64_t>(c.seed) ^ 0x9e3779b97f4a7c15ULL);
  // N(0, 1) scaled rather than N(0, effect): the same numbers, and defined for an effect of 0.
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const auto effect = static_cast<float>(c.speaker_effect);
  const int64_t per_session = c.sessions > 0 ? c.speakers / c.sessions : 0;
  for (int64_t k = 0; k < c.speakers; ++k) {
    char name[64];
    if (c.sessions > 0) {
      std::snprintf(name, sizeof name, "Ses%02lld", static_cast<long long>(k / per_session + 1));
      s.sessions.push_back(name);
      std::snprintf(name, sizeof name, "Ses%02lld_spk%lld", static_cast<long long>(k / per_session + 1),
                    static_cast<long long>(k % per_session + 1));
    } else {
      std::snprintf(name, sizeof name, "spk%02lld", static_cast<long long>(k + 1));
    }
    s.names.push_back(name);
    std::vector<float> shift(modalities * kLatent, 0.0f);
    for (size_t m = 0; m < modalities; ++m)
      for (int j = 2; j < kLatent; ++j) shift[m * kLatent + static_cast<size_t>(j)] = effect * normal(s.rng);
    s.shift.push_back(std::move(shift));
  }
  return s;
}

SplitData generate_split(const SynthConfig& c, const std::string& split, int64_t size,
                         const std::vector<ModalityModel>& models, Speakers& speakers, std::mt19937_64& rng) {
  std::normal_distribution<double> sentiment(c.sentiment_mean, c.sentiment_std);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto draw_sentiment = [&] { return std::clamp(sentiment(rng), -3.0, 3.0); };

  SplitData data;
  for (const auto& m : models) data.features[m.name] = FeatureMatrix(size, m.dim);
  auto& labels = data.labels["sentiment"];
  auto& noisy_text = data.labels["noisy_text"];
  auto& noisy_audio = data.labels["noisy_audio"];
  // No speakers (a config built in code, not through the options): one unnamed speaker, no shift.
  if (speakers.names.empty()) speakers.shift.assign(1, std::vector<float>(models.size() * kLatent, 0.0f));
  std::uniform_int_distribution<size_t> pick_speaker(0, speakers.shift.size() - 1);
  for (int64_t i = 0; i < size; ++i) {
    const size_t speaker = pick_speaker(speakers.rng);
    if (!speakers.names.empty()) data.meta["speaker"].push_back(speakers.names[speaker]);
    if (!speakers.sessions.empty()) data.meta["session"].push_back(speakers.sessions[speaker]);
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
    const bool emotions = c.emotions != "none";
    Emotion emotion;
    if (emotions) {
      emotion = draw_emotion(c, rng);
      annotate_emotion(c, emotion, rng, data);
    }
    for (size_t mi = 0; mi < models.size(); ++mi) {
      const ModalityModel& m = models[mi];
      const bool bad = (m.name == "text" && text_bad) || (m.name == "audio" && audio_bad);
      float latent[kLatent];
      latent[0] = static_cast<float>(bad ? draw_sentiment() : s);
      if (m.name == "video") latent[0] *= static_cast<float>(c.video_signal);
      latent[1] = (bad ? -1.0f : 1.0f) + 0.3f * normal(rng);
      for (int k = 2; k < kLatent; ++k) latent[k] = normal(rng) + speakers.shift[speaker][mi * kLatent + k];
      if (emotions) emotion_latent(c, emotion, bad, m.name == "video" ? c.video_signal : 1.0, rng, latent);
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
  o.add("synth.emotions", c.emotions, "none",
        "emotion targets besides the sentiment: categorical (labels/emotion: neutral, happy, sad, angry) or "
        "multilabel (labels/happiness, sadness, anger, surprise, disgust, fear: intensities 0..3, as daf-import names "
        "MOSEI's)",
        {"none", "categorical", "multilabel"});
  o.add("synth.emotion_signal", c.emotion_signal, 1.5, "how strongly a clean view's features carry the emotion",
        Range::at_least(0));
  o.add("synth.emotion_label_noise", c.emotion_label_noise, 0.1,
        "annotator disagreement: probability that an emotion label is another class (categorical) or that a "
        "label's presence flips (multilabel)",
        Range::closed(0, 1));
  o.add("synth.speakers", c.speakers, 20, "speakers (meta/speaker), each utterance's drawn uniformly",
        Range::at_least(1));
  o.add("synth.sessions", c.sessions, 0,
        "sessions (meta/session, IEMOCAP-style: each speaker in one session); 0: no session column",
        Range::at_least(0));
  o.add("synth.speaker_effect", c.speaker_effect, 0.3,
        "std of each speaker's shift of every view's nuisance factors (speakers differ a little, not in sentiment)",
        Range::at_least(0));
}

const std::vector<std::string>& synth_emotion_classes() {
  static const std::vector<std::string> classes = {"neutral", "happy", "sad", "angry"};
  return classes;
}

const std::vector<std::string>& synth_emotion_labels() {
  // daf-import's names for CMU-MOSEI's emotion columns, so one config reads either cache.
  static const std::vector<std::string> labels = {"happiness", "sadness", "anger", "surprise", "disgust", "fear"};
  return labels;
}

std::vector<std::string> synth_presets() { return {"tiny", "demo", "mosei", "categorical", "emotions"}; }

std::vector<std::string> synth_preset_overrides(const std::string& preset) {
  if (preset == "tiny") return {"synth.train_size=240", "synth.valid_size=80", "synth.test_size=80"};
  if (preset == "demo") return {"synth.train_size=2000", "synth.valid_size=500", "synth.test_size=1000"};
  if (preset == "mosei") return {"synth.train_size=16326", "synth.valid_size=1871", "synth.test_size=4659"};
  if (preset == "categorical")
    // A weaker signal than the default: one clean view alone is then not enough, so ignoring the
    // wrong view matters (dynamic vs static fusion: UAR 0.82 vs 0.79 instead of 0.88 vs 0.87 at 1.5).
    // IEMOCAP's layout: 5 sessions of 2 speakers each.
    return {"synth.train_size=2000", "synth.valid_size=500", "synth.test_size=1000", "synth.emotions=categorical",
            "synth.emotion_signal=0.7", "synth.speakers=10", "synth.sessions=5"};
  if (preset == "emotions")
    return {"synth.train_size=2000", "synth.valid_size=500", "synth.test_size=1000", "synth.emotions=multilabel"};
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
  if (config.sessions > 0 && config.speakers % config.sessions != 0)
    throw InputError("synth.speakers: expected a multiple of synth.sessions (" + std::to_string(config.sessions) +
                     "), found " + std::to_string(config.speakers));
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
  Speakers speakers = make_speakers(c, models.size());
  EmbeddingCache cache;
  cache.splits["train"] = generate_split(c, "train", c.train_size, models, speakers, rng);
  cache.splits["valid"] = generate_split(c, "valid", c.valid_size, models, speakers, rng);
  cache.splits["test"] = generate_split(c, "test", c.test_size, models, speakers, rng);
  if (c.emotions == "categorical")
    cache.attributes[class_names_attribute("emotion")] = join_class_names(synth_emotion_classes());
  for (const auto& m : models) {
    cache.modality_attributes[m.name]["encoder"] = "daf-synth";
    cache.modality_attributes[m.name]["pooling"] = "none";
    cache.modality_attributes[m.name]["source"] = "synthetic (seed " + std::to_string(c.seed) + ")";
  }
  return cache;
}

}  // namespace daf
