#pragma once
// The exported head as a module in memory (export_head saves it; daf-predict runs it).
#include <torch/script.h>

#include <map>
#include <string>

#include "daf/model/model_io.h"
#include "daf/model/run_progress.h"

namespace daf {

// `encoders`: per modality, the provenance text stored in the `encoders` attribute.
// Per modality, the encoder and SHA-256 the training cache recorded ("name sha256=HEX"),
// "unknown" where the cache or the record is missing.
std::map<std::string, std::string> encoder_provenance(const ModelMetadata& metadata);

// `progress`: whether the run finished and which epoch's weights it holds (recorded as
// the attributes finished and weights_epoch).
torch::jit::Module build_head_module(const LoadedModel& loaded, const std::map<std::string, std::string>& encoders,
                                     const RunProgress& progress, int64_t* parameter_count = nullptr);

}  // namespace daf
