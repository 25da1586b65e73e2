#include "daf/eval/evaluation.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "daf/data/cache_io.h"
#include "daf/model/model_io.h"
#include "daf/report/gate_summary.h"
#include "daf/report/json_writer.h"
#include "daf/report/markdown_table.h"
#include "daf/train/runtime.h"
#include "daf/util/atomic_file.h"
#include "daf/util/file_lock.h"
#include "daf/util/csv.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

std::vector<int64_t> masked_indices(const std::vector<std::string>& masked, const std::vector<std::string>& modalities,
                                    const std::string& model_dir) {
  std::vector<int64_t> indices;
  for (const auto& name : masked) {
    const auto it = std::find(modalities.begin(), modalities.end(), name);
    if (it == modalities.end())
      throw InputError("--mask " + name + ": the model in " + model_dir + " uses modalities " + join(modalities, ", ") +
                       did_you_mean(name, modalities));
    indices.push_back(it - modalities.begin());
  }
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  if (indices.size() == modalities.size())
    throw InputError("--mask: masking every modality of the model (" + join(modalities, ", ") + ") leaves no input");
  return indices;
}

std::string default_out_dir(const EvalRequest& request) {
  std::string name = request.split;
  for (const auto& m : request.masked) name += "-mask-" + m;
  return request.model_dir + "/eval/" + name;
}

std::string metrics_json(const EvalRequest& request, const std::string& cache, int64_t rows, const Scores& scores,
                         const GateSummary* gate) {
  JsonWriter json;
  json.begin_object();
  json.key("model").value(request.model_dir).key("cache").value(cache).key("split").value(request.split);
  json.key("masked").begin_array();
  for (const auto& m : request.masked) json.value(m);
  json.end_array();
  json.key("rows").value(rows);
  json.key("metrics").begin_object();
  for (const auto& [name, value] : scores.metrics) json.key(name).value(value);
  json.end_object();
  if (!scores.confusion.empty()) {
    json.key("confusion").begin_array();
    for (const auto& row : scores.confusion) {
      json.begin_array();
      for (auto count : row) json.value(count);
      json.end_array();
    }
    json.end_array();
  }
  if (gate) {
    json.key("gate");
    write_gate_json(json, *gate);
  }
  json.end_object();
  return json.str();
}

std::string report_markdown(const EvalRequest& request, const std::string& cache, int64_t rows, const Scores& scores,
                            const GateSummary* gate) {
  std::string md = "# daf-eval: " + request.model_dir + "\n\n";
  md += "Split `" + request.split + "` of `" + cache + "` (" + std::to_string(rows) + " utterances)";
  md += request.masked.empty() ? ".\n\n" : ", masked: " + join(request.masked, ", ") + ".\n\n";
  std::vector<std::string> header, values;
  for (const auto& [name, value] : scores.metrics) {
    header.push_back(name);
    values.push_back(format_fixed(value, 4));
  }
  MarkdownTable metrics(header);
  metrics.add_row(values);
  md += "## Metrics\n\n" + metrics.str();
  if (!scores.confusion.empty()) {
    std::vector<std::string> confusion_header = {"truth \\ predicted"};
    for (size_t c = 0; c < scores.confusion.size(); ++c) confusion_header.push_back(std::to_string(c));
    MarkdownTable confusion(confusion_header);
    for (size_t t = 0; t < scores.confusion.size(); ++t) {
      std::vector<std::string> row = {std::to_string(t)};
      for (auto count : scores.confusion[t]) row.push_back(std::to_string(count));
      confusion.add_row(row);
    }
    md += "\n## Confusion matrix\n\n" + confusion.str();
  }
  if (gate) md += "\n## Fusion weights (mean ± std)\n\n" + gate_markdown(*gate);
  return md;
}

}  // namespace

std::string predictions_csv(const SplitTensors& data, const Predictions& predictions,
                            const std::vector<std::string>& modalities, int64_t num_outputs) {
  std::string csv = num_outputs == 1 ? "id,label,prediction" : "id,label,true_class,predicted_class";
  const bool weights = !predictions.weights.empty();
  if (weights)
    for (const auto& m : modalities) csv += ",weight_" + m;
  csv += "\n";
  const size_t m_count = modalities.size();
  for (size_t i = 0; i < data.ids.size(); ++i) {
    csv += csv_field(data.ids[i]) + "," + format_number(data.scores[i]) + ",";
    if (num_outputs == 1)
      csv += format_number(predictions.scores[i]);
    else
      csv += std::to_string(sentiment_class(data.scores[i], num_outputs)) + "," + std::to_string(predictions.classes[i]);
    if (weights)
      for (size_t m = 0; m < m_count; ++m) csv += "," + format_fixed(predictions.weights[i * m_count + m], 6);
    csv += "\n";
  }
  return csv;
}

EvalResult evaluate_model(const EvalRequest& original) {
  EvalRequest request = original;
  // A model file (model.yaml or model.pt) stands for the folder that holds both.
  if (std::filesystem::is_regular_file(request.model_dir))
    request.model_dir = std::filesystem::path(request.model_dir).parent_path().string();
  if (request.model_dir.empty()) request.model_dir = ".";
  configure_threads(request.threads);
  const torch::Device device = select_device(request.device);
  LoadedModel loaded = load_model(request.model_dir);
  loaded.model->to(device);
  const Config& config = loaded.metadata.config;
  const auto& modalities = loaded.metadata.modalities();
  const auto masked = masked_indices(request.masked, modalities, request.model_dir);

  const std::string cache_path = request.cache.empty() ? config.data.cache : request.cache;
  CacheReadOptions options;
  options.splits = {request.split};
  options.modalities = modalities;
  options.labels = {config.data.target};
  options.replace_nonfinite = config.data.nonfinite == "zero";
  EmbeddingCache cache = read_cache(cache_path, options);
  require_rows(cache, cache_path, {request.split});
  const SplitTensors data = make_split_tensors(std::move(cache.splits.at(request.split)), loaded.metadata, device,
                                               cache_path, request.split);

  InputPerturbation perturbation;
  perturbation.masked = masked;
  const Predictions predictions = predict(loaded.model, data, config, perturbation);
  EvalResult result;
  result.scores = score_predictions(predictions, data, loaded.metadata.num_outputs());
  GateSummary gate;
  const bool has_gate = !predictions.weights.empty();
  if (has_gate) gate = summarize_gate(modalities, predictions.weights, data.scores);

  result.out_dir = request.out_dir.empty() ? default_out_dir(request) : request.out_dir;
  std::error_code error;
  std::filesystem::create_directories(result.out_dir, error);
  if (error) throw RuntimeFailure(result.out_dir + ": cannot create output folder: " + error.message());
  const auto lock = lock_run_directory(result.out_dir);  // one writer per report folder
  write_file_atomic(result.out_dir + "/predictions.csv",
                    predictions_csv(data, predictions, modalities, loaded.metadata.num_outputs()));
  write_file_atomic(result.out_dir + "/metrics.json",
                    metrics_json(request, cache_path, data.size(), result.scores, has_gate ? &gate : nullptr));
  result.markdown = report_markdown(request, cache_path, data.size(), result.scores, has_gate ? &gate : nullptr);
  write_file_atomic(result.out_dir + "/report.md", result.markdown);
  return result;
}

}  // namespace daf
