#pragma once
// MELD (MELD.Raw) -> a daf-extract manifest: one row per utterance of the
// train/dev/test CSVs with its mp4 clip, emotion (7 classes), sentiment
// (-1, 0, 1), and speaker, dialogue, season, episode and the clip's time in
// the episode as metadata (docs/datasets.md).
#include <string>
#include <vector>

#include "daf/datasets/dataset_manifest.h"

namespace daf {

// `root`: MELD.Raw, or a folder holding it.
DatasetManifest read_meld(const std::string& root);

// MELD's emotion classes in index order: neutral, joy, surprise, anger, sadness, disgust, fear.
std::vector<std::string> meld_classes();

// A CSV text with Windows-1252 punctuation repaired: the C1 control characters
// U+0080-U+009F that older MELD files carry (U+0092 for a right quote, U+0085
// for an ellipsis, ...) become the cp1252 characters of those bytes, U+00A0 a
// space; text that is not valid UTF-8 is read as cp1252 throughout.
std::string repair_cp1252(const std::string& text);

// "00:14:38,127" -> 878.127 seconds; also one-digit hours and fewer than three
// digits after the comma (read as a decimal fraction: ",12" is 0.12 s).
// Returns false for another shape.
bool parse_episode_time(const std::string& text, double& seconds);

}  // namespace daf
