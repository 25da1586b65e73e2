#pragma once
// CMU-MOSI and CMU-MOSEI as their Raw/ folders hold them -> a daf-extract
// manifest: the segments' audio and transcripts, labels from the SDK's label
// sequence (.csd), splits from a folds file (configs/folds/), and ids as
// daf-import names the SDK's segments (video[k]), so caches from either path
// name utterances alike (docs/datasets.md).
#include <string>

#include "daf/datasets/dataset_manifest.h"

namespace daf {

struct CmuRawOptions {
  std::string labels;  // CMU_MOSI_Opinion_Labels.csd / CMU_MOSEI_Labels.csd
  std::string folds;   // configs/folds/cmu-mosi.yaml / cmu-mosei.yaml
};

// MOSI: Raw/Audio/WAV_16000/Segmented/<video>_<n>.wav and
// Raw/Transcript/Segmented/<video>.annotprocessed ("<n>_DELIM_<text>"); the
// label of segment n is row n-1 of the video in the labels file.
// `root`: the folder holding Raw/.
DatasetManifest read_mosi(const std::string& root, const CmuRawOptions& options);

// MOSEI: Raw/Audio/Full/WAV_16000/<video>.wav cut at the times of
// Raw/Transcript/Segmented/Combined/<video>.txt
// ("<video>___<clip>___<start>___<end>___<text>"); the labels (sentiment and
// six emotions) are the row of the video whose interval matches the segment's.
DatasetManifest read_mosei(const std::string& root, const CmuRawOptions& options);

}  // namespace daf
