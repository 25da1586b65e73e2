#pragma once
// CH-SIMS (v1: label.csv, v2: meta.csv) -> a daf-extract manifest: one row per
// clip with its mp4, the multimodal sentiment label in [-1, 1] and the three
// unimodal ones, the dataset's own train/valid/test split, and the video as
// speaker (docs/datasets.md).
#include <string>

#include "daf/datasets/dataset_manifest.h"

namespace daf {

// `root`: the folder holding label.csv (v1) or meta.csv (v2) and Raw/.
DatasetManifest read_sims(const std::string& root);

}  // namespace daf
