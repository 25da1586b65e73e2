#include "daf/config/config_sources.h"
#include "daf/config/option_set.h"
#include "daf/eval/evaluation.h"
#include "daf/util/error.h"

namespace daf {

void declare_eval_options(OptionSet& o, EvalRequest& r) {
  o.add("eval.run", r.model_dir, "", "run directory of a trained model (holds model.yaml and model.pt), or one of those two files");
  o.add("eval.cache", r.cache, "", "embedding cache to evaluate on (default: the one the model was trained on)");
  o.add("eval.split", r.split, "test", "split of the cache to evaluate", {"train", "valid", "test"});
  o.add("eval.mask", r.masked, {}, "modalities to treat as missing for every utterance");
  o.add("eval.out", r.out_dir, "", "output folder (default: <run>/eval/<split>[-mask-<modality>])");
  o.add("eval.analysis", r.analysis, "",
        "YAML file with an analysis: section (a sweep file works): the split's slices (intensity, gate_entropy, "
        "degraded, column), this model's metric and fusion weights per slice -> analysis.csv, plots, report.md");
  o.add("eval.threads", r.threads, 1, "CPU threads for LibTorch (0: all cores)", Range::at_least(0));
  o.add("eval.device", r.device, "cpu", "cpu or cuda", {"cpu", "cuda"});
}

EvalRequest load_eval_request(const std::string& file, const std::vector<std::string>& overrides) {
  EvalRequest request;
  OptionSet options;
  declare_eval_options(options, request);
  apply_config_sources(options, file, overrides);
  if (request.model_dir.empty()) throw InputError("no model given: pass --run DIR or --model FILE (or eval.run in --config)");
  return request;
}

}  // namespace daf
