#pragma once
// IEMOCAP (IEMOCAP_full_release) -> a daf-extract manifest: one row per
// labelled turn with its wav, transcript, emotion class, valence / arousal /
// dominance, and speaker, session, dialogue and scenario as metadata
// (docs/datasets.md says where each fact comes from).
#include <string>
#include <vector>

#include "daf/datasets/dataset_manifest.h"

namespace daf {

struct IemocapOptions {
  std::string classes = "4";   // 4, 6 or all (iemocap_classes)
  bool strip_tags = true;      // drop [LAUGHTER], [BREATHING], ... from transcripts
  int64_t test_session = 5;    // the fixed split: this session tests ...
  int64_t valid_session = 4;   // ... this one validates, the others train
};

// `root`: IEMOCAP_full_release, or a folder holding it.
DatasetManifest read_iemocap(const std::string& root, const IemocapOptions& options);

// The class names of a class set, in index order: "4" -> neutral, happy, sad,
// angry. InputError for another set.
std::vector<std::string> iemocap_classes(const std::string& set);
// The class an emotion code (neu, hap, exc, ...) has in a class set, or ""
// when the set leaves it out (exc is happy in "4", excited in "6" and "all").
std::string iemocap_class(const std::string& code, const std::string& set);
// Who speaks a turn: its session and the gender letter of the turn's own
// suffix ("Ses01F_impro01_M000" -> "Ses01M": the male actor of session 1; the
// dialogue's "Ses01F" names who wore the markers). "" when the id does not
// have that shape.
std::string iemocap_speaker(const std::string& utterance_id);
// A transcript without bracketed tags ("[LAUGHTER] yeah." -> "yeah."), spaces collapsed.
std::string strip_transcript_tags(const std::string& text);

}  // namespace daf
