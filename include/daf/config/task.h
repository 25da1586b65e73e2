#pragma once
// What a task means for the rest of daf: how many outputs the head has, which
// label columns it reads, what its outputs are called and which metric
// summarises it. Tasks: regression, binary and seven_class (derived from a
// sentiment score, MMSA's conventions), multiclass (a column of class
// indices) and multilabel (one present/absent decision per label column).
#include <cstdint>
#include <string>
#include <vector>

#include "daf/config/config.h"

namespace daf {

// binary, seven_class or multiclass: one class per utterance, cross-entropy.
bool is_class_task(const std::string& task);
bool is_multilabel_task(const std::string& task);

// 1 (regression), the class count, or the label count.
int64_t task_num_outputs(const Config& config);

// The cache label columns the task reads: data.targets (multilabel) or data.target.
std::vector<std::string> task_label_columns(const Config& config);

// Names of the outputs: the classes (binary: negative, non-negative; seven_class:
// -3..3; multiclass: data.classes) or the labels (data.targets); empty for regression.
std::vector<std::string> task_output_names(const Config& config);

// The metric tables and the paired comparison lead with (MAE, F1_weighted,
// UAR or WA_mean), which is also train.early_stop_metric's auto value.
std::string primary_metric(const std::string& task);

// The name of the cache root attribute that records the class names of label
// column `label` ("classes.emotion"), written by daf-extract and daf-synth.
std::string class_names_attribute(const std::string& label);
// Class names as stored in that attribute: one per line.
std::string join_class_names(const std::vector<std::string>& names);
std::vector<std::string> split_class_names(const std::string& text);

}  // namespace daf
