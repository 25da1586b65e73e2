#include "daf/analysis/utterance_view.h"

#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "daf/config/task.h"
#include "daf/util/error.h"
#include "daf/util/strings.h"

namespace daf {
namespace fs = std::filesystem;
namespace {

using Runs = std::map<int64_t, RunPredictions>;

const Runs& runs_of(const SliceData& data, const std::string& condition) {
  static const Runs none;
  const auto it = data.conditions.find(condition);
  return it == data.conditions.end() ? none : it->second;
}

std::string name_of(const std::vector<std::string>& names, double value) {
  const auto index = static_cast<int64_t>(std::llround(value));
  return index >= 0 && index < static_cast<int64_t>(names.size()) ? names[static_cast<size_t>(index)]
                                                                    : format_number(value);
}

// One seed's error on row i (see the header).
double error_of(const std::string& task, const RunPredictions& run, size_t i) {
  if (task == "regression") return std::fabs(static_cast<double>(run.prediction[i]) - run.truth[i]);
  double wrong = 0;
  for (size_t l = 0; l < run.width; ++l) wrong += run.prediction[i * run.width + l] != run.truth[i * run.width + l];
  return wrong / static_cast<double>(run.width);
}

std::string label_text(const std::string& task, const RunPredictions& run, size_t i,
                       const std::vector<std::string>& names, double& value) {
  if (task == "regression") {  // MOSEI's labels are means of three ratings: 1.3333 rather than float32's 1.3333334
    value = run.truth[i];
    std::string text = format_fixed(run.truth[i], 4);
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text == "-0" ? "0" : text;
  }
  if (!is_multilabel_task(task)) {
    value = run.truth[i];
    return name_of(names, run.truth[i]);
  }
  std::vector<std::string> present;
  for (size_t l = 0; l < run.width; ++l)
    if (run.truth[i * run.width + l] > 0.5f) present.push_back(l < names.size() ? names[l] : std::to_string(l));
  value = static_cast<double>(present.size());
  return present.empty() ? "none" : join(present, ", ");
}

std::string prediction_text(const std::string& task, const Runs& runs, size_t i, const std::vector<std::string>& names) {
  if (runs.empty()) return "";
  const double seeds = static_cast<double>(runs.size());
  if (task == "regression") {
    double sum = 0;
    for (const auto& [seed, run] : runs) sum += run.prediction[i];
    const std::string text = format_fixed(sum / seeds, 3);
    return text == "-0.000" ? "0.000" : text;
  }
  if (!is_multilabel_task(task)) {
    std::map<float, int> votes;
    for (const auto& [seed, run] : runs) ++votes[run.prediction[i]];
    auto best = votes.begin();
    for (auto it = votes.begin(); it != votes.end(); ++it)
      if (it->second > best->second) best = it;
    const std::string text = name_of(names, best->first);
    return best->second == static_cast<int>(runs.size())
               ? text
               : text + " (" + std::to_string(best->second) + "/" + std::to_string(runs.size()) + ")";
  }
  const size_t width = runs.begin()->second.width;
  std::vector<std::string> predicted;
  for (size_t l = 0; l < width; ++l) {
    int votes = 0;
    for (const auto& [seed, run] : runs) votes += run.prediction[i * width + l] > 0.5f;
    if (2 * votes > static_cast<int>(runs.size())) predicted.push_back(l < names.size() ? names[l] : std::to_string(l));
  }
  return predicted.empty() ? "none" : join(predicted, ", ");
}

std::string error_meaning(const std::string& task, bool several_seeds) {
  const std::string what = task == "regression"        ? "absolute error"
                           : is_multilabel_task(task) ? "share of labels wrong"
                                                      : "1 where the class is wrong";
  return what + (several_seeds ? ", mean over seeds" : "");
}

// Path segments percent-encoded (RFC 3986's unreserved bytes and '/' kept).
std::string url_encode(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The audio links and, where some files are not there now, a note saying what the page then does.
void add_audio(const UtteranceViewInput& input, ExplorerData& out) {
  const auto column = input.data->meta.find(audio_file_column());
  if (column == input.data->meta.end()) return;
  size_t missing = 0, linked = 0;
  std::string example;
  for (size_t i = 0; i < out.rows.size() && i < column->second.size(); ++i) {
    const std::string& file = column->second[i];
    if (file.empty()) continue;
    out.rows[i].audio = relative_url(file, input.page_dir);
    ++linked;
    std::error_code error;
    if (!fs::exists(file, error)) {
      if (missing++ == 0) example = file;
    }
  }
  if (missing > 0)
    out.audio_note = std::to_string(missing) + " of " + std::to_string(linked) +
                     " audio files are not where the cache says they were read from (e.g. " + example +
                     "): their players say they cannot play them. The links are relative to this page, so they work again "
                     "when the page and the data lie as they did when it was written.";
}

}  // namespace

std::string relative_url(const std::string& target, const std::string& from) {
  const fs::path file = fs::absolute(target).lexically_normal();
  const fs::path dir = fs::absolute(from.empty() ? "." : from).lexically_normal();
  return url_encode(file.lexically_relative(dir).generic_string());
}

ExplorerData utterance_view(const UtteranceViewInput& input) {
  const SliceData& data = *input.data;
  const std::string& task = data.task;
  ExplorerData out;
  out.conditions = input.conditions;
  out.reference = input.reference;
  out.baseline = input.baseline;
  bool several_seeds = false;
  std::set<std::string> modalities;
  for (const auto& condition : input.conditions) {
    const Runs& runs = runs_of(data, condition);
    several_seeds |= runs.size() > 1;
    for (const auto& [seed, run] : runs) {
      if (run.ids != data.ids)
        throw InputError("the " + condition + " run of seed " + std::to_string(seed) +
                         " was scored on other utterances than the " + input.reference + " runs");
      for (const auto& [m, w] : run.weights) modalities.insert(m);
    }
    // A unimodal condition's one weight is 1 everywhere: not worth a bar.
    if (!runs.empty() && runs.begin()->second.weights.size() > 1) out.gated.push_back(condition);
  }
  out.modalities.assign(modalities.begin(), modalities.end());
  out.error_meaning = error_meaning(task, several_seeds);
  if (input.slices)
    for (const auto& slice : *input.slices) out.slices.push_back(slice.family + ": " + slice.name);

  const Runs& reference = runs_of(data, input.reference);
  const Runs& baseline = runs_of(data, input.baseline);
  std::vector<int64_t> paired;
  for (const auto& [seed, run] : reference)
    if (baseline.count(seed)) paired.push_back(seed);
  const RunPredictions* first = nullptr;
  for (const auto& condition : input.conditions)
    if (!first && !runs_of(data, condition).empty()) first = &runs_of(data, condition).begin()->second;
  if (!first) return out;

  out.rows.resize(data.ids.size());
  for (size_t i = 0; i < data.ids.size(); ++i) {
    ExplorerRow& row = out.rows[i];
    row.id = data.ids[i];
    row.label = label_text(task, *first, i, input.names, row.label_value);
    for (const auto& condition : input.conditions) {
      const Runs& runs = runs_of(data, condition);
      row.predictions.push_back(prediction_text(task, runs, i, input.names));
      double sum = 0;
      for (const auto& [seed, run] : runs) sum += error_of(task, run, i);
      row.errors.push_back(runs.empty() ? std::nan("") : sum / static_cast<double>(runs.size()));
    }
    row.difference = std::nan("");
    if (!input.baseline.empty() && !paired.empty()) {
      double sum = 0;
      for (int64_t seed : paired) sum += error_of(task, reference.at(seed), i) - error_of(task, baseline.at(seed), i);
      row.difference = sum / static_cast<double>(paired.size());
    }
    for (const auto& condition : out.gated) {
      const Runs& runs = runs_of(data, condition);
      std::vector<double> weights;
      for (const auto& m : out.modalities) {
        double sum = 0;
        for (const auto& [seed, run] : runs) {
          const auto w = run.weights.find(m);
          sum += w == run.weights.end() ? 0.0 : w->second[i];  // a modality the condition lacks weighs nothing
        }
        weights.push_back(sum / static_cast<double>(runs.size()));
      }
      row.weights.push_back(std::move(weights));
    }
    if (input.transcripts && i < input.transcripts->size()) row.transcript = (*input.transcripts)[i];
  }
  if (input.slices)
    for (size_t s = 0; s < input.slices->size(); ++s)
      for (size_t i : (*input.slices)[s].rows) out.rows[i].slices.push_back(static_cast<int>(s));
  add_audio(input, out);
  return out;
}

}  // namespace daf
