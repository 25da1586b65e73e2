#pragma once
// A synthetic cache shaped like CMU-MOSEI whose modality reliability varies
// per utterance, detectably from the input. The generative story:
//
//   sentiment   s ~ N(mean, std) clipped to [-3, 3]; the label is s plus
//               annotator noise N(0, label_noise), clipped and rounded to
//               thirds (MOSEI labels average three annotators' integers).
//   reliability each utterance independently gets a noisy text view with
//               probability noisy_text_rate, else a noisy audio view with
//               probability noisy_audio_rate / (1 - noisy_text_rate), so the
//               two never coincide. Video is always a weak view.
//   latent code per modality u = [s_seen, q, nuisance(6)]: s_seen is s for a
//               clean view and an unrelated draw of the sentiment for a noisy
//               one (it looks plausible but is wrong); q is a quality cue,
//               N(+1, 0.3) when clean and N(-1, 0.3) when noisy (think ASR
//               confidence or SNR); nuisance factors are N(0, 1).
//   features    x = A u + feature_noise * eps, A a fixed random [D, 8]
//               projection per modality; video uses s_seen * video_signal.
//
// A fusion that weights views per utterance (DAF) can read q and ignore the
// wrong view; mean and static fusion cannot. labels/noisy_text and
// labels/noisy_audio record the truth, for checking the gate.
//
//   speakers    each utterance has a speaker (meta/speaker; with synth.sessions,
//               also meta/session, the speakers split evenly among sessions),
//               drawn from a separate stream; a speaker shifts every view's
//               nuisance factors by a fixed N(0, speaker_effect^2) vector.
//
// Emotion targets (synth.emotions), carried by the latent code in place of
// nuisance factors, wrong in a noisy view as s_seen is:
//   categorical IEMOCAP-style classes neutral, happy, sad, angry with
//               IEMOCAP's 4-class shares (0.31, 0.30, 0.20, 0.20); latent
//               u[2..5] = emotion_signal * one-hot(class seen), a noisy view
//               sees another class; labels/emotion holds the class index
//               (annotators disagree: another class with probability
//               emotion_label_noise), the class names are recorded in the
//               cache attribute classes.emotion.
//   multilabel  MOSEI's six emotions with MOSEI-like presence rates
//               (happiness 0.52, sadness 0.25, anger 0.21, surprise 0.10,
//               disgust 0.17, fear 0.08): z_k ~ N(Phi^-1(rate_k), 1), intensity 0 when z_k
//               <= 0, else min(z_k, 3) rounded to thirds, at least 1/3; u[2..7] = emotion_signal * z seen (a
//               noisy view: a fresh draw); labels/<emotion> holds the
//               intensity, whose presence flips with probability emotion_label_noise.
#include <cstdint>
#include <string>
#include <vector>

#include "daf/data/embedding_cache.h"

namespace daf {

class OptionSet;

struct SynthConfig {
  int64_t seed = 0;
  int64_t train_size = 0, valid_size = 0, test_size = 0;
  int64_t text_dim = 0, audio_dim = 0, video_dim = 0;
  double sentiment_mean = 0, sentiment_std = 0;
  double noisy_text_rate = 0, noisy_audio_rate = 0;
  double feature_noise = 0;
  double label_noise = 0;
  double video_signal = 0;
  std::string emotions;  // none | categorical | multilabel
  double emotion_signal = 0;
  double emotion_label_noise = 0;
  int64_t speakers = 0, sessions = 0;  // meta/speaker, meta/session (0 sessions: none)
  double speaker_effect = 0;           // std of a speaker's shift of the nuisance factors
};

// The class names of synth.emotions=categorical and the labels of multilabel.
const std::vector<std::string>& synth_emotion_classes();
const std::vector<std::string>& synth_emotion_labels();

void declare_synth_options(OptionSet& options, SynthConfig& config);
// Presets: "tiny" (tests), "demo" (the README demo), "mosei" (MOSEI's split sizes),
// "categorical" and "emotions" (demo sizes with 4-class / six-label emotion targets).
std::vector<std::string> synth_presets();
// "section.key=value" assignments that a preset stands for.
std::vector<std::string> synth_preset_overrides(const std::string& preset);

SynthConfig load_synth_config(const std::string& preset, const std::string& file,
                              const std::vector<std::string>& overrides);

EmbeddingCache generate_synthetic_cache(const SynthConfig& config);

}  // namespace daf
