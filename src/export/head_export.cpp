// daf-export: a run's fusion head as one TorchScript module built here in C++
// (torch::jit::Module::define), holding weights, normalisation and metadata.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <sstream>

#include "daf/config/config.h"
#include "daf/config/task.h"
#include "daf/data/cache_io.h"
#include "daf/export/head_export.h"
#include "daf/model/model_io.h"
#include "daf/model/run_progress.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/file_lock.h"
#include "daf/util/paths.h"
#include "daf/version.h"
#include "export/head_module.h"

namespace daf {
namespace {

std::string parameter_name(std::string name) {
  for (char& c : name)
    if (c == '.') c = '_';
  return name;
}

}  // namespace

std::map<std::string, std::string> encoder_provenance(const ModelMetadata& metadata) {
  if (!metadata.encoders.empty()) return metadata.encoders;  // recorded at training (model.yaml)
  // Runs trained before model.yaml recorded it: the training cache, when it is still there.
  std::map<std::string, std::string> encoders;
  for (const auto& m : metadata.modalities()) encoders[m] = "unknown";
  const std::string& cache = metadata.config.data.cache;
  if (cache.empty() || !std::filesystem::is_regular_file(cache)) {
    spdlog::warn("model.yaml does not record the encoders and the training cache {} is not here: recorded as unknown",
                 cache.empty() ? "(none)" : cache);
    return encoders;
  }
  CacheReadOptions options;
  options.modalities = metadata.modalities();
  options.splits = {"valid"};
  const EmbeddingCache read = read_cache(cache, options);
  for (const auto& [m, attributes] : read.modality_attributes)
    if (encoders.count(m)) encoders[m] = describe_encoder(attributes);
  return encoders;
}


torch::jit::Module build_head_module(const LoadedModel& loaded, const std::map<std::string, std::string>& encoders,
                                     const RunProgress& progress, int64_t* parameter_count) {
  const ModelMetadata& metadata = loaded.metadata;
  torch::jit::Module module("DafFusionHead");
  int64_t count = 0;
  for (const auto& p : loaded.model->named_parameters()) {
    module.register_parameter(parameter_name(p.key()), p.value().detach().clone(), false);
    count += p.value().numel();
  }
  if (parameter_count) *parameter_count = count;
  const auto& names = metadata.modalities();
  for (size_t m = 0; m < names.size(); ++m) {
    const auto stats = metadata.normalization.find(names[m]);
    if (stats == metadata.normalization.end()) continue;
    const auto dims = static_cast<int64_t>(stats->second.mean.size());
    module.register_buffer("mean_" + std::to_string(m), torch::from_blob(const_cast<float*>(stats->second.mean.data()),
                                                                         {dims}, torch::kFloat).clone());
    module.register_buffer("std_" + std::to_string(m), torch::from_blob(const_cast<float*>(stats->second.std.data()),
                                                                        {dims}, torch::kFloat).clone());
  }
  c10::List<std::string> modality_list, class_list;
  for (const auto& m : names) modality_list.push_back(m);
  for (const auto& c : task_output_names(metadata.config)) class_list.push_back(c);
  c10::List<int64_t> dims(metadata.input_dims);
  c10::Dict<std::string, std::string> encoder_dict;
  for (const auto& [m, text] : encoders) encoder_dict.insert(m, text);
  module.register_attribute("modalities", c10::ListType::ofStrings(), modality_list);
  module.register_attribute("input_dims", c10::ListType::ofInts(), dims);
  module.register_attribute("task", c10::StringType::get(), metadata.config.model.task);
  module.register_attribute("class_names", c10::ListType::ofStrings(), class_list);
  module.register_attribute("fusion", c10::StringType::get(),
                            names.size() == 1 ? std::string("unimodal") : metadata.config.model.fusion);
  module.register_attribute("daf_version", c10::StringType::get(), std::string(version()));
  module.register_attribute("encoders", c10::DictType::create(c10::StringType::get(), c10::StringType::get()),
                            encoder_dict);
  module.register_attribute("config", c10::StringType::get(), config_to_yaml(metadata.config));
  // An unfinished run's head says so: its weights are the best epoch's so far.
  module.register_attribute("finished", c10::BoolType::get(), progress.finished);
  module.register_attribute("weights_epoch", c10::IntType::get(), progress.best_epoch);
  module.define(head_forward_source(metadata));
  module.eval();
  return module;
}

ExportSummary export_head(const std::string& run_dir, const std::string& out) {
  if (!std::filesystem::is_directory(run_dir))
    throw InputError(run_dir + ": not a run directory (expected model.yaml and model.pt in it)");
  refuse_output_over_inputs(out, files_under(run_dir), "--out");
  check_output_path(out);
  const LoadedModel loaded = load_model(run_dir);
  ExportSummary summary;
  summary.path = out;
  summary.encoders = encoder_provenance(loaded.metadata);
  const RunProgress progress = read_run_progress(run_dir, loaded.metadata.config);
  summary.unfinished = unfinished_run_note(run_dir, progress);
  torch::jit::Module module = build_head_module(loaded, summary.encoders, progress, &summary.parameters);
  std::ostringstream bytes;
  module.save(bytes);
  const auto lock = lock_output_file(out);
  write_file_atomic(out, bytes.str());
  return summary;
}

}  // namespace daf
