#include "daf/predict/prediction.h"

#include <spdlog/spdlog.h>
#include <torch/script.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <set>

#include "daf/extract/embed.h"
#include "daf/model/model_io.h"
#include "daf/util/error.h"
#include "daf/util/csv.h"
#include "daf/util/sha256.h"
#include "daf/util/strings.h"
#include "export/head_module.h"

namespace daf {
namespace {

// The value of "key=VALUE" in a provenance text ("encoder.pt sha256=HEX tokenizer=HEX"); "" when absent.
std::string provenance_field(const std::string& provenance, const std::string& key) {
  for (const auto& word : split(provenance, ' '))
    if (word.rfind(key + "=", 0) == 0) return word.substr(key.size() + 1);
  return "";
}

// Features another program made (daf-import's .csd streams such as COVAREP, FACET or GloVe;
// MMSA pickles) record their source but no encoder digest: daf cannot compute them.
const char* const kExternal = "features that daf-extract does not compute (imported with daf-import or from a pickle)";

bool is_external(const std::string& provenance) {
  return provenance != "unknown" && provenance.find("sha256=") == std::string::npos;
}

// JSON has no NaN or Inf: such a value (never expected here) is written as null.
std::string json_number(double value, int decimals = -1) {
  if (!std::isfinite(value)) return "null";
  return decimals < 0 ? format_number(value) : format_fixed(value, decimals);
}

std::vector<std::string> string_list(const torch::IValue& value) {
  std::vector<std::string> out;
  for (const auto& item : value.toList()) out.push_back(item.get().toStringRef());
  return out;
}

}  // namespace

struct Predictor::Impl {
  torch::jit::Module head;
  std::vector<std::string> modalities, class_names;
  std::vector<int64_t> input_dims;
  bool multilabel = false;  // class_names are labels, each present or not
  std::map<std::string, std::string> encoders;  // the head's record, per modality
  ExtractConfig config;
  std::unique_ptr<Embedder> embedder;
  double load_seconds = 0;
  std::set<std::string> warned;

  void load_head(const PredictRequest& request) {
    if (!request.run_dir.empty()) {
      const LoadedModel loaded = load_model(request.run_dir);
      const RunProgress progress = read_run_progress(request.run_dir, loaded.metadata.config);
      if (!progress.finished) spdlog::warn("{}", unfinished_run_note(request.run_dir, progress));
      head = build_head_module(loaded, encoder_provenance(loaded.metadata), progress);
    } else {
      if (!std::filesystem::is_regular_file(request.model_file))
        throw InputError(request.model_file + ": head file not found (write one with daf-export)");
      try {
        head = torch::jit::load(request.model_file);
      } catch (const c10::Error& e) {
        throw InputError(request.model_file + ": not a TorchScript module (" +
                         split(e.what_without_backtrace(), '\n').front() + ")");
      }
      if (!head.hasattr("modalities") || !head.hasattr("encoders") || !head.hasattr("input_dims"))
        throw InputError(request.model_file + ": not a head that daf-export wrote (no modalities/encoders attributes)");
    }
    if (head.hasattr("finished") && !head.attr("finished").toBool())
      spdlog::warn("{}: exported from a run that did not finish (the weights of epoch {})", request.model_file,
                   head.attr("weights_epoch").toInt());
    modalities = string_list(head.attr("modalities"));
    class_names = string_list(head.attr("class_names"));
    multilabel = head.hasattr("task") && head.attr("task").toStringRef() == "multilabel";
    for (const auto& d : head.attr("input_dims").toIntList()) input_dims.push_back(d);
    for (const auto& item : head.attr("encoders").toGenericDict())
      encoders[item.key().toStringRef()] = item.value().toStringRef();
  }

  // The encoders (and the tokenizer) must be the ones whose features the head was trained on,
  // and give features of the width the head takes: checked before any utterance is encoded.
  void check_encoders(bool allow_other) {
    const auto provenance = embedder->provenance();
    for (const auto& [modality, attributes] : provenance) {
      const std::string& path = modality == config.text.modality ? config.text.encoder : config.audio.encoder;
      const auto position = std::find(modalities.begin(), modalities.end(), modality);
      if (position == modalities.end()) {
        spdlog::warn("{}: the head has no modality '{}' (it takes {}); this encoder is not used", path, modality,
                     join(modalities, ", "));
        continue;
      }
      const std::string recorded = encoders.count(modality) ? encoders.at(modality) : "unknown";
      if (is_external(recorded)) {
        const std::string message = "the head's '" + modality + "' features came from " + recorded + ": " +
                                    kExternal + "; " + path + " cannot give the same features";
        if (!allow_other) throw InputError(message + " (--allow-other-encoders predicts anyway, from features the "
                                           "head never saw)");
        spdlog::warn("{}; --allow-other-encoders: predicting anyway", message);
        continue;
      }
      compare(path + " (sha256=" + attributes.at("encoder_sha256") + ") is not the encoder the head's '" + modality +
                  "' features came from (" + recorded + ")",
              attributes.at("encoder_sha256"), provenance_field(recorded, "sha256"), allow_other,
              path + ": the head does not record which encoder made its '" + modality + "' features (" + recorded +
                  "); not checked");
      if (modality == config.text.modality)
        compare("the text tokenizer (fingerprint " + attributes.at("tokenizer_fingerprint") + " of its files and "
                    "text.* settings) is not the one the head's '" + modality + "' features came from (fingerprint " +
                    provenance_field(recorded, "tokenizer") + "): another vocabulary, or text.lowercase, "
                    "text.max_length or special tokens set otherwise",
                attributes.at("tokenizer_fingerprint"), provenance_field(recorded, "tokenizer"), allow_other,
                "the head does not record the tokenizer of its '" + modality + "' features (its cache was made "
                "before daf recorded it); the tokenizer is not checked");
      const int64_t dims = input_dims[static_cast<size_t>(position - modalities.begin())];
      if (std::stoll(attributes.at("dims")) != dims)
        throw InputError(path + " gives " + attributes.at("dims") + "-dim '" + modality +
                         "' features but the head takes " + std::to_string(dims) + ": not the encoder it was "
                         "trained with");
    }
    for (const auto& m : modalities) {
      if (provenance.count(m)) continue;
      const std::string recorded = encoders.count(m) ? encoders.at(m) : "unknown";
      spdlog::warn("no encoder gives the head's '{}' features{}: every utterance is predicted with {} masked", m,
                   is_external(recorded) ? " (they came from " + recorded + ": " + kExternal + ")" : "", m);
    }
  }

  // Refuses (or, allowed, warns) when `actual` is not the `recorded` digest; warns when none was recorded.
  static void compare(const std::string& message, const std::string& actual, const std::string& recorded,
                      bool allow_other, const std::string& unrecorded) {
    if (recorded.empty()) {
      spdlog::warn("{}", unrecorded);
      return;
    }
    if (actual == recorded) return;
    if (!allow_other)
      throw InputError(message + "; use the encoders and settings the head was trained with, or "
                       "--allow-other-encoders (the predictions then come from features the head never saw and may "
                       "mean nothing)");
    spdlog::warn("{}; --allow-other-encoders: predicting anyway", message);
  }
};

Predictor::Predictor(const PredictRequest& request) : impl_(std::make_unique<Impl>()) {
  if (request.run_dir.empty() == request.model_file.empty())
    throw InputError("give exactly one of --run DIR and --model HEAD.pt");
  const auto start = std::chrono::steady_clock::now();
  impl_->config = load_encoder_config(request.encoders, request.overrides);
  impl_->load_head(request);
  impl_->embedder = std::make_unique<Embedder>(impl_->config);
  impl_->check_encoders(request.allow_other_encoders);
  impl_->load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Predictor::~Predictor() = default;

const std::vector<std::string>& Predictor::modalities() const { return impl_->modalities; }
const std::vector<std::string>& Predictor::class_names() const { return impl_->class_names; }
bool Predictor::skip_errors() const { return impl_->config.skip_errors(); }
double Predictor::load_seconds() const { return impl_->load_seconds; }

std::vector<PredictionRecord> Predictor::predict(const std::vector<Utterance>& rows) {
  std::vector<PredictionRecord> records(rows.size());
  if (rows.empty()) return records;
  SkipReport problems(impl_->config.skip_errors());
  const Embeddings embeddings = impl_->embedder->embed(rows, problems);
  if (rows.size() > 1)
    for (const auto& summary : embeddings.summaries) spdlog::info("{}", summary);
  const auto n = static_cast<int64_t>(rows.size());
  std::map<std::string, size_t> row_of;
  for (size_t i = 0; i < rows.size(); ++i) {
    records[i].id = rows[i].id;
    row_of[rows[i].id] = i;
  }
  std::vector<int> present_count(rows.size(), 0);
  c10::Dict<std::string, torch::Tensor> features, present;
  for (size_t m = 0; m < impl_->modalities.size(); ++m) {
    const std::string& name = impl_->modalities[m];
    const int64_t dims = impl_->input_dims[m];
    torch::Tensor values = torch::zeros({n, dims});
    torch::Tensor mask = torch::zeros({n});
    std::vector<bool> done(rows.size(), false);
    const auto it = embeddings.modalities.find(name);
    if (it != embeddings.modalities.end()) {
      const ModalityResults& r = it->second;
      for (int64_t k = 0; k < r.size(); ++k) {
        const size_t i = row_of.at(r.ids[static_cast<size_t>(k)]);
        values[static_cast<int64_t>(i)] =
            torch::from_blob(const_cast<float*>(r.values.data() + k * dims), {dims}, torch::kFloat).clone();
        mask[static_cast<int64_t>(i)] = 1.0f;
        done[i] = true;
        ++present_count[i];
      }
      for (const auto& s : r.skipped) {
        records[row_of.at(s.id)].masked.push_back(name + " (skipped: " + s.reason + ")");
        done[row_of.at(s.id)] = true;
      }
    }
    const bool text = name == impl_->config.text.modality && !impl_->config.text.encoder.empty();
    const bool audio = name == impl_->config.audio.modality && !impl_->config.audio.encoder.empty();
    for (size_t i = 0; i < rows.size(); ++i)
      if (!done[i])
        records[i].masked.push_back(name + (text ? " (empty text)" : audio ? " (no audio file)" : " (no encoder)"));
    features.insert(name, values);
    present.insert(name, mask);
  }
  // A row that leaves the head no modality has nothing to predict from: a bad row.
  for (size_t i = 0; i < rows.size(); ++i)
    if (present_count[i] == 0) {
      records[i].error = rows[i].where + " (id '" + rows[i].id + "'): leaves the head no input (" +
                         join(records[i].masked, "; ") + ")";
      problems.check(records[i].error);
    }
  c10::InferenceMode no_autograd;
  const auto out = impl_->head.forward({features, present}).toGenericDict();
  const auto get = [&](const std::string& key) { return out.at(key).toTensor().to(torch::kDouble).contiguous(); };
  const bool regression = impl_->class_names.empty();
  const torch::Tensor prediction = regression ? get("prediction") : get("probabilities");
  const bool multilabel = impl_->multilabel;
  const torch::Tensor classes =
      regression ? torch::Tensor() : out.at(multilabel ? "labels" : "class").toTensor().contiguous();
  const bool weights = out.contains("weights");
  const torch::Tensor w = weights ? get("weights") : torch::Tensor();
  for (int64_t i = 0; i < n; ++i) {
    PredictionRecord& r = records[static_cast<size_t>(i)];
    if (!r.error.empty()) continue;
    if (regression) {
      r.prediction = prediction[i].item<double>();
    } else {
      if (!multilabel) r.predicted_class = classes[i].item<int64_t>();
      for (int64_t c = 0; c < prediction.size(1); ++c) {
        r.probabilities.push_back(prediction[i][c].item<double>());
        if (multilabel && classes[i][c].item<int64_t>() != 0) r.labels.push_back(impl_->class_names[static_cast<size_t>(c)]);
      }
    }
    if (weights)
      for (int64_t m = 0; m < w.size(1); ++m) r.weights.push_back(w[i][m].item<double>());
    // Finite features in, finite numbers out; anything else is a defect, never an output.
    bool finite = std::isfinite(r.prediction);
    for (const double v : r.probabilities) finite = finite && std::isfinite(v);
    for (const double v : r.weights) finite = finite && std::isfinite(v);
    if (!finite)
      throw RuntimeFailure(rows[static_cast<size_t>(i)].where + " (id '" + r.id + "'): the head gave a non-finite "
                           "output; nothing was written for it");
  }
  return records;
}

std::string Predictor::csv_header() const {
  std::string header = impl_->class_names.empty() ? "id,prediction" : impl_->multilabel ? "id,labels" : "id,class";
  for (const auto& c : impl_->class_names) header += ",probability_" + c;
  for (const auto& m : impl_->modalities) header += ",weight_" + m;
  return header + ",masked";
}

std::string Predictor::csv_line(const PredictionRecord& r) const {
  std::string line = csv_field(r.id) + ",";
  if (impl_->class_names.empty())
    line += format_number(r.prediction);
  else if (impl_->multilabel)
    line += csv_field(join(r.labels, ";"));
  else
    line += csv_field(impl_->class_names[static_cast<size_t>(r.predicted_class)]);
  for (const double p : r.probabilities) line += "," + format_fixed(p, 6);
  for (size_t m = 0; m < impl_->modalities.size(); ++m)
    line += "," + (r.weights.empty() ? std::string() : format_fixed(r.weights[m], 6));
  return line + "," + csv_field(join(r.masked, "; "));
}

std::string Predictor::json_line(const PredictionRecord& r) const {
  std::string line = "{\"id\": " + json_escape(r.id);
  if (impl_->class_names.empty()) {
    line += ", \"prediction\": " + json_number(r.prediction);
  } else {
    if (impl_->multilabel) {
      line += ", \"labels\": [";
      for (size_t k = 0; k < r.labels.size(); ++k) line += (k ? ", " : "") + json_escape(r.labels[k]);
      line += "]";
    } else {
      line += ", \"class\": " + json_escape(impl_->class_names[static_cast<size_t>(r.predicted_class)]);
    }
    line += ", \"probabilities\": {";
    for (size_t c = 0; c < r.probabilities.size(); ++c)
      line += (c ? ", " : "") + json_escape(impl_->class_names[c]) + ": " + json_number(r.probabilities[c], 6);
    line += "}";
  }
  if (!r.weights.empty()) {
    line += ", \"weights\": {";
    for (size_t m = 0; m < r.weights.size(); ++m)
      line += (m ? ", " : "") + json_escape(impl_->modalities[m]) + ": " + json_number(r.weights[m], 6);
    line += "}";
  }
  line += ", \"masked\": [";
  for (size_t k = 0; k < r.masked.size(); ++k) line += (k ? ", " : "") + json_escape(r.masked[k]);
  return line + "]}";
}

}  // namespace daf
