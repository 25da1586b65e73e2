#pragma once
// The exported head as a module in memory (export_head saves it). Private to export/.
#include <torch/script.h>

#include <map>
#include <string>

#include "daf/model/model_io.h"

namespace daf {

// `encoders`: per modality, the provenance text stored in the `encoders` attribute.
torch::jit::Module build_head_module(const LoadedModel& loaded, const std::map<std::string, std::string>& encoders,
                                     int64_t* parameter_count = nullptr);

}  // namespace daf
