// daf-eval: evaluate a trained model and write predictions, metrics and gate reports.
#include <iostream>

#include "cli_support.h"
#include "daf/eval/evaluation.h"
#include "daf/util/tool_main.h"

int main(int argc, char** argv) {
  daf::prepare_process(argc, argv);
  CLI::App app{"daf-eval: evaluate a trained model (MMSA metrics, predictions, gate summary).\n"
               "Example: daf-eval --run runs/demo --split test --mask audio"};
  std::string config_file, run, model, cache, split, out, device, analysis;
  std::vector<std::string> masks, overrides;
  int64_t threads = -1;
  app.add_option("-c,--config", config_file, "YAML file with an 'eval' section (flags below override it)");
  app.add_option("--run", run, "run directory written by daf-train (model.yaml + model.pt)");
  app.add_option("--model", model, "model.yaml or model.pt of a trained model (the other file must lie beside it)")
      ->excludes(app.get_option("--run"));
  app.add_option("--cache", cache, "embedding cache to evaluate on (default: the model's training cache)");
  app.add_option("--split", split, "split to evaluate: train, valid or test (default test)");
  app.add_option("--mask", masks, "modality to treat as missing for every utterance (repeatable)");
  app.add_option("--out", out, "output folder (default <run>/eval/<split>[-mask-<modality>])");
  app.add_option("--analysis", analysis,
                 "YAML file with an analysis: section (a sweep file works): slice analysis of this model");
  app.add_option("--threads", threads, "CPU threads (0: all cores; default 1)");
  app.add_option("--device", device, "cpu or cuda");
  app.add_option("overrides", overrides, "eval.key=value settings, e.g. eval.split=valid");

  app.footer("Outputs: predictions.csv (id, label, prediction; class tasks: true_class, predicted_class, probability "
             "per class; multilabel: true_, predicted_, probability_ per label; weight per modality; the cache's meta "
             "columns), metrics.json, report.md, report.html (one self-contained page: tables, confusion matrix, "
             "fusion weights plotted as SVG in gate_weights.svg, every utterance with its prediction, error, weights, "
             "transcript and audio in a sortable, filterable explorer); with --analysis, analysis.csv and plots/analysis-*.png.\n" +
             daf::cli::options_help(daf::declare_eval_options));
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    // Flags are shorthands for eval.* overrides and win over the config file.
    if (!run.empty()) overrides.push_back("eval.run=" + run);
    if (!model.empty()) overrides.push_back("eval.run=" + model);
    if (!cache.empty()) overrides.push_back("eval.cache=" + cache);
    if (!split.empty()) overrides.push_back("eval.split=" + split);
    if (!masks.empty()) {
      std::string list = "[";
      for (size_t i = 0; i < masks.size(); ++i) list += (i ? "," : "") + masks[i];
      overrides.push_back("eval.mask=" + list + "]");
    }
    if (!out.empty()) overrides.push_back("eval.out=" + out);
    if (!analysis.empty()) overrides.push_back("eval.analysis=" + analysis);
    if (threads >= 0) overrides.push_back("eval.threads=" + std::to_string(threads));
    if (!device.empty()) overrides.push_back("eval.device=" + device);
    const daf::EvalRequest request = daf::load_eval_request(config_file, overrides);
    const daf::EvalResult result = daf::evaluate_model(request);
    std::cout << result.markdown;
    std::cerr << "wrote " << result.out_dir << "/{predictions.csv,metrics.json,report.md,report.html"
              << (request.analysis.empty() ? "" : ",analysis.csv,analysis.md") << "}\n";
    return 0;
  });
}
