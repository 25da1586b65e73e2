#include "daf/eval/evaluation.h"
#include "daf/eval/prediction_table.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "daf/config/task.h"
#include "daf/data/cache_io.h"
#include "daf/data/split_file.h"
#include "daf/model/model_io.h"
#include "daf/model/run_progress.h"
#include "daf/report/gate_summary.h"
#include "daf/report/json_writer.h"
#include "daf/report/markdown_table.h"
#include "daf/train/runtime.h"
#include "daf/util/atomic_file.h"
#include "daf/util/file_lock.h"
#include "daf/util/csv.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"
#include "eval_html.h"
#include "slice_report.h"

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
                         const std::vector<std::string>& names, const GateSummary* gate, const RunProgress& progress) {
  JsonWriter json;
  json.begin_object();
  json.key("model").value(request.model_dir).key("cache").value(cache).key("split").value(request.split);
  json.key("run_finished").value(progress.finished);
  if (!progress.finished) json.key("weights_epoch").value(progress.best_epoch);
  json.key("masked").begin_array();
  for (const auto& m : request.masked) json.value(m);
  json.end_array();
  json.key("rows").value(rows);
  json.key("metrics").begin_object();
  for (const auto& [name, value] : scores.metrics) json.key(name).value(value);
  json.end_object();
  if (!scores.per_output.empty()) {
    json.key("per_output").begin_object();
    for (const auto& [name, value] : scores.per_output) json.key(name).value(value);
    json.end_object();
  }
  if (!names.empty()) {
    json.key("outputs").begin_array();
    for (const auto& name : names) json.value(name);
    json.end_array();
  }
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

// Per-class (precision_, recall_, F1_<class>) or per-label (<label>_acc, _WA, _F1)
// metrics as one row per output.
std::string per_output_markdown(const Scores& scores, const std::vector<std::string>& names, bool labels) {
  const std::vector<std::pair<std::string, std::string>> columns =
      labels ? std::vector<std::pair<std::string, std::string>>{{"", "_acc"}, {"", "_WA"}, {"", "_F1"}}
             : std::vector<std::pair<std::string, std::string>>{{"precision_", ""}, {"recall_", ""}, {"F1_", ""}};
  MarkdownTable table(labels ? std::vector<std::string>{"label", "accuracy", "WA", "F1"}
                             : std::vector<std::string>{"class", "precision", "recall", "F1"});
  for (const auto& name : names) {
    std::vector<std::string> row = {name};
    for (const auto& [prefix, suffix] : columns) {
      const double v = metric_value(scores.per_output, prefix + name + suffix);
      row.push_back(std::isnan(v) ? "n/a" : format_fixed(v, 4));
    }
    table.add_row(row);
  }
  return table.str();
}

std::string report_markdown(const EvalRequest& request, const std::string& cache, int64_t rows, const Scores& scores,
                            const std::vector<std::string>& names, const GateSummary* gate,
                            const RunProgress& progress) {
  std::string md = "# daf-eval: " + request.model_dir + "\n\n";
  if (!progress.finished) md += "**Unfinished run:** " + unfinished_run_note(request.model_dir, progress) + ".\n\n";
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
  if (!scores.per_output.empty())
    md += std::string("\n## Per ") + (scores.confusion.empty() ? "label" : "class") + "\n\n" +
          per_output_markdown(scores, names, scores.confusion.empty());
  if (!scores.confusion.empty()) {
    const auto label = [&](size_t c) { return c < names.size() ? names[c] : std::to_string(c); };
    std::vector<std::string> confusion_header = {"truth \\ predicted"};
    for (size_t c = 0; c < scores.confusion.size(); ++c) confusion_header.push_back(label(c));
    MarkdownTable confusion(confusion_header);
    for (size_t t = 0; t < scores.confusion.size(); ++t) {
      std::vector<std::string> row = {label(t)};
      for (auto count : scores.confusion[t]) row.push_back(std::to_string(count));
      confusion.add_row(row);
    }
    md += "\n## Confusion matrix\n\n" + confusion.str();
  }
  if (gate) md += "\n## Fusion weights (mean ± std)\n\n" + gate_markdown(*gate);
  return md;
}

// A meta column's header in predictions.csv: its own name, unless that is one of the
// file's own columns or prefixes (then meta_<name>), so readers never mistake it.
std::string meta_header(const std::string& column, const std::vector<std::string>& taken) {
  bool clash = std::find(taken.begin(), taken.end(), column) != taken.end();
  for (const char* prefix : {"weight_", "true_", "predicted_", "probability_", "meta_"})
    clash |= column.rfind(prefix, 0) == 0;
  return clash ? "meta_" + column : column;
}

}  // namespace

std::string predictions_csv(const SplitTensors& data, const Predictions& predictions, const ModelMetadata& metadata) {
  const Config& config = metadata.config;
  const std::string& task = config.model.task;
  const auto& modalities = metadata.modalities();
  const auto names = task_output_names(config);
  const size_t outputs = names.size();
  std::string csv = "id";
  if (is_class_task(task)) {
    csv += ",label,true_class,predicted_class";
    for (const auto& name : names) csv += "," + csv_field("probability_" + name);
  } else if (is_multilabel_task(task)) {
    for (const auto& name : names)
      csv += "," + csv_field(name) + "," + csv_field("true_" + name) + "," + csv_field("predicted_" + name) + "," +
             csv_field("probability_" + name);
  } else {
    csv += ",label,prediction";
  }
  const bool weights = !predictions.weights.empty();
  if (weights)
    for (const auto& m : modalities) csv += "," + csv_field("weight_" + m);
  std::vector<std::string> taken = {"id", "label", "prediction", "true_class", "predicted_class"};
  taken.insert(taken.end(), names.begin(), names.end());
  for (const auto& [column, values] : data.meta) csv += "," + csv_field(meta_header(column, taken));
  csv += "\n";
  const size_t m_count = modalities.size();
  const auto truth = is_multilabel_task(task) ? true_labels(data) : std::vector<std::vector<uint8_t>>{};
  for (size_t i = 0; i < data.ids.size(); ++i) {
    csv += csv_field(data.ids[i]);
    if (is_class_task(task)) {
      csv += "," + format_number(data.scores[i]) + "," + std::to_string(data.classes[i]) + "," +
             std::to_string(predictions.classes[i]);
      for (size_t c = 0; c < outputs; ++c) csv += "," + format_fixed(predictions.probabilities[i * outputs + c], 6);
    } else if (is_multilabel_task(task)) {
      for (size_t l = 0; l < outputs; ++l)
        csv += "," + format_number(data.scores[i * outputs + l]) + "," + std::to_string(truth[i][l]) + "," +
               std::to_string(predictions.labels[i * outputs + l]) + "," +
               format_fixed(predictions.probabilities[i * outputs + l], 6);
    } else {
      csv += "," + format_number(data.scores[i]) + "," + format_number(predictions.scores[i]);
    }
    if (weights)
      for (size_t m = 0; m < m_count; ++m) csv += "," + format_fixed(predictions.weights[i * m_count + m], 6);
    for (const auto& [column, values] : data.meta) csv += "," + csv_field(values[i]);
    csv += "\n";
  }
  return csv;
}

GateSummary task_gate_summary(const SplitTensors& data, const Predictions& predictions, const ModelMetadata& metadata) {
  const Config& config = metadata.config;
  const std::string& task = config.model.task;
  if (task == "multiclass") {
    std::vector<std::vector<size_t>> groups;
    for (int64_t c : data.classes) groups.push_back({static_cast<size_t>(c)});
    return summarize_gate_by_group(metadata.modalities(), predictions.weights, groups, config.data.classes, "class");
  }
  if (is_multilabel_task(task)) {
    std::vector<std::vector<size_t>> groups;
    for (const auto& row : true_labels(data)) {
      groups.emplace_back();
      for (size_t l = 0; l < row.size(); ++l)
        if (row[l]) groups.back().push_back(l);
    }
    return summarize_gate_by_group(metadata.modalities(), predictions.weights, groups, config.data.targets, "label");
  }
  return summarize_gate(metadata.modalities(), predictions.weights, data.scores);
}

EvalResult evaluate_model(const EvalRequest& original) {
  EvalRequest request = original;
  // A model file (model.yaml or model.pt) stands for the folder that holds both.
  if (std::filesystem::is_regular_file(request.model_dir)) {
    const std::filesystem::path file(request.model_dir);
    if (!std::filesystem::exists(file.parent_path() / "model.yaml"))
      throw InputError(request.model_dir + ": no model.yaml beside it: daf-eval evaluates a run directory (model.yaml "
                       "and model.pt, as daf-train writes them); a head that daf-export wrote runs with daf-predict "
                       "--model (new utterances) or torch.jit.load (features)");
    request.model_dir = file.parent_path().string();
  }
  if (request.model_dir.empty()) request.model_dir = ".";
  configure_threads(request.threads);
  const torch::Device device = select_device(request.device);
  LoadedModel loaded = load_model(request.model_dir);
  loaded.model->to(device);
  const Config& config = loaded.metadata.config;
  const RunProgress progress = read_run_progress(request.model_dir, config);
  if (!progress.finished) spdlog::warn("{}", unfinished_run_note(request.model_dir, progress));
  const auto& modalities = loaded.metadata.modalities();
  const auto masked = masked_indices(request.masked, modalities, request.model_dir);
  // Named as a sweep names conditions: the fusion, or the one modality.
  const std::string condition = modalities.size() == 1 ? modalities.front() : config.model.fusion;
  SliceSettings slices;
  if (!request.analysis.empty()) slices = eval_analysis_settings(request.analysis, config, condition);

  const std::string cache_path = request.cache.empty() ? config.data.cache : request.cache;
  // A cross-validation fold's run, on its own cache: the fold's parts (data.split_file).
  const bool fold = request.cache.empty() && !config.data.split_file.empty();
  CacheReadOptions options;
  if (!fold) options.splits = {request.split};
  options.modalities = modalities;
  options.labels = task_label_columns(config);
  options.replace_nonfinite = config.data.nonfinite == "zero";
  EmbeddingCache cache = read_cache(cache_path, options);
  if (fold) cache = apply_split_file(cache, config.data.split_file, cache_path);
  require_rows(cache, fold ? config.data.split_file : cache_path, {request.split});
  check_class_names(cache, config, cache_path);
  const SplitTensors data = make_split_tensors(std::move(cache.splits.at(request.split)), loaded.metadata, device,
                                               cache_path, request.split);

  InputPerturbation perturbation;
  perturbation.masked = masked;
  const Predictions predictions = predict(loaded.model, data, loaded.metadata, perturbation);
  EvalResult result;
  result.scores = score_predictions(predictions, data, loaded.metadata);
  GateSummary gate;
  const bool has_gate = !predictions.weights.empty();
  if (has_gate) gate = task_gate_summary(data, predictions, loaded.metadata);

  result.out_dir = request.out_dir.empty() ? default_out_dir(request) : request.out_dir;
  std::error_code error;
  std::filesystem::create_directories(result.out_dir, error);
  if (error) throw RuntimeFailure(result.out_dir + ": cannot create output folder: " + error.message());
  const auto lock = lock_run_directory(result.out_dir);  // one writer per report folder
  write_file_atomic(result.out_dir + "/predictions.csv",
                    predictions_csv(data, predictions, loaded.metadata));
  const auto names = task_output_names(config);
  write_file_atomic(result.out_dir + "/metrics.json",
                    metrics_json(request, cache_path, data.size(), result.scores, names, has_gate ? &gate : nullptr,
                                 progress));
  result.markdown =
      report_markdown(request, cache_path, data.size(), result.scores, names, has_gate ? &gate : nullptr, progress);
  std::vector<std::string> transcripts;
  const SliceData split = evaluated_split(config, condition, cache_path, request.split, result.out_dir, &transcripts);
  std::vector<Slice> slice_list;
  if (!request.analysis.empty()) {
    result.markdown += eval_slice_analysis(slices, split, condition, result.out_dir);
    slice_list = make_slices(slices, split);
  }
  write_file_atomic(result.out_dir + "/report.md", result.markdown);
  EvalReportData page{&request, cache_path, data.size(), &result.scores, names, has_gate ? &gate : nullptr,
                      progress, config.model.task, result.out_dir, condition};
  page.split = &split;
  page.slices = &slice_list;
  page.transcripts = &transcripts;
  write_file_atomic(result.out_dir + "/report.html", eval_report_html(page));
  return result;
}

}  // namespace daf
