// daf-train: train one fusion head from a YAML config into a run directory.
#include <iostream>

#include "cli_support.h"
#include "daf/ablate/collect.h"
#include "daf/ablate/sweep.h"
#include "daf/ablate/sweep_runner.h"
#include "daf/config/config.h"
#include "daf/train/trainer.h"
#include "daf/util/logging.h"
#include "daf/util/tool_main.h"

int main(int argc, char** argv) {
  daf::prepare_process(argc, argv);
  CLI::App app{"daf-train: train a DAF (or baseline) fusion head on an HDF5 embedding cache.\n"
               "Example: daf-train --config configs/demo.yaml model.fusion=static train.seed=2"};
  std::string config_file;
  std::vector<std::string> overrides;
  bool print_config = false, no_plots = false;
  int64_t jobs = 1;
  app.add_option("-c,--config", config_file, "YAML config file (sections data, model, train, output)");
  app.add_option("overrides", overrides, "section.key=value settings applied after --config, e.g. train.lr=5e-4");
  app.add_flag("--print-config", print_config, "print the resolved config as YAML and exit");
  app.add_option("-j,--jobs", jobs,
                 "with a cv section: folds trained at the same time (each fold is a run of its own, "
                 "<output.dir>/<fusion>/fold-<f>/seed-<seed>)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--no-plots", no_plots, "with a cv section: no plots/ in the cross-validated report");
  app.footer(daf::cli::options_help(daf::declare_options));
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    const daf::Config config = daf::load_config(config_file, overrides);
    if (print_config) {
      std::cout << daf::config_to_yaml(config);
      return 0;
    }
    daf::setup_logging(config.output.log_level);
    if (config.cv.enabled()) {
      // Every fold of the config, then the report of a one-condition sweep (docs/cross-validation.md).
      const daf::Sweep sweep = daf::cross_validation_sweep(config_file, overrides);
      daf::SweepOptions options;
      options.jobs = jobs;
      options.plots = !no_plots;
      daf::run_sweep(sweep, options);
      const auto result = daf::collect_sweep(sweep.output, {false, !no_plots});
      std::cout << result.terminal_summary;
      return 0;
    }
    daf::train_model(config);  // logs the summary table
    return 0;
  });
}
