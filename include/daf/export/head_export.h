#pragma once
// A trained fusion head as one self-contained TorchScript module (head.pt) that
// plain PyTorch or LibTorch runs without daf:
//
//   head = torch.jit.load("head.pt")
//   out = head({"text": t, "audio": a}, {"audio": audio_present})   # present is optional
//   out["prediction"]            regression: [B]
//   out["probabilities"], out["class"]   binary / seven_class / multiclass: [B, C], [B]
//   out["probabilities"], out["labels"]  multilabel: sigmoid per label [B, L], 1 where > 0.5 [B, L]
//   out["weights"], out["weight_<modality>"]   fusion weights [B, M] and [B] (not for concat)
//
// Features go in raw, as the cache holds them: the module normalises them with the
// training split's statistics it carries. Its attributes say what it is: modalities,
// input_dims, task, class_names (classes, or labels for multilabel), fusion, daf_version, encoders (per modality: the
// encoder name and SHA-256 recorded in the training cache), config (the resolved YAML),
// finished (false for a run that was stopped before final_metrics.json) and weights_epoch.
// The header stays torch-free.
#include <map>
#include <string>
#include <vector>

#include "daf/model/model_metadata.h"

namespace daf {

// The TorchScript source of forward() for a head with this metadata; `normalized`:
// whether mean_<m>/std_<m> buffers exist. Parameters are named as FusionHead's with
// '.' -> '_' ("project_0_weight").
std::string head_forward_source(const ModelMetadata& metadata);


struct ExportSummary {
  std::string path;
  int64_t parameters = 0;
  std::map<std::string, std::string> encoders;  // "<modality>" -> "name (sha256 ...)" or "unknown"
  std::string unfinished;  // the run did not finish: which epoch's weights were exported ("" when it did)
};

// Loads the run (model.yaml + model.pt, digests checked), builds the module and
// writes it to `out` atomically, under a lock. InputError for a bad run
// directory or an `out` that is one of the run's files; RuntimeFailure with the OS reason when the file cannot be written.
ExportSummary export_head(const std::string& run_dir, const std::string& out);

}  // namespace daf
