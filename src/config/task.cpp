#include "daf/config/task.h"

#include "daf/util/strings.h"

namespace daf {

bool is_class_task(const std::string& task) {
  return task == "binary" || task == "seven_class" || task == "multiclass";
}

bool is_multilabel_task(const std::string& task) { return task == "multilabel"; }

int64_t task_num_outputs(const Config& config) {
  const std::string& task = config.model.task;
  if (task == "binary") return 2;
  if (task == "seven_class") return 7;
  if (task == "multiclass") return static_cast<int64_t>(config.data.classes.size());
  if (task == "multilabel") return static_cast<int64_t>(config.data.targets.size());
  return 1;
}

std::vector<std::string> task_label_columns(const Config& config) {
  if (is_multilabel_task(config.model.task)) return config.data.targets;
  return {config.data.target};
}

std::vector<std::string> task_output_names(const Config& config) {
  const std::string& task = config.model.task;
  if (task == "binary") return {"negative", "non-negative"};
  if (task == "seven_class") return {"-3", "-2", "-1", "0", "1", "2", "3"};
  if (task == "multiclass") return config.data.classes;
  if (task == "multilabel") return config.data.targets;
  return {};
}

std::string primary_metric(const std::string& task) {
  if (task == "regression") return "MAE";
  if (task == "multiclass") return "UAR";
  if (task == "multilabel") return "WA_mean";
  return "F1_weighted";
}

std::string class_names_attribute(const std::string& label) { return "classes." + label; }

std::string join_class_names(const std::vector<std::string>& names) { return join(names, "\n"); }

std::vector<std::string> split_class_names(const std::string& text) { return split(text, '\n'); }

}  // namespace daf
