#pragma once
// A split's predictions as daf-eval writes them (predictions.csv, the gate
// summary); used by daf-eval and by daf-ablate's collected runs.
#include <string>

#include "daf/report/gate_summary.h"
#include "daf/train/predictor.h"

namespace daf {

// predictions.csv: id, then label, prediction (regression); label, true_class,
// predicted_class, probability_<class>... (class tasks); <label>, true_<label>,
// predicted_<label>, probability_<label> per label (multilabel); then weight_<modality>...;
// then the cache's meta/ columns by name (meta_<name> where a name would clash with these).
std::string predictions_csv(const SplitTensors& data, const Predictions& predictions, const ModelMetadata& metadata);

// The fusion weights per sentiment bucket, per true class (multiclass) or per
// label among the utterances where it is present (multilabel).
GateSummary task_gate_summary(const SplitTensors& data, const Predictions& predictions, const ModelMetadata& metadata);

}  // namespace daf
