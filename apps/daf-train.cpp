// daf-train: train one fusion head from a YAML config into a run directory.
#include <iostream>

#include "cli_support.h"
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
  bool print_config = false;
  app.add_option("-c,--config", config_file, "YAML config file (sections data, model, train, output)");
  app.add_option("overrides", overrides, "section.key=value settings applied after --config, e.g. train.lr=5e-4");
  app.add_flag("--print-config", print_config, "print the resolved config as YAML and exit");
  app.footer(daf::cli::options_help(daf::declare_options));
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    const daf::Config config = daf::load_config(config_file, overrides);
    if (print_config) {
      std::cout << daf::config_to_yaml(config);
      return 0;
    }
    daf::setup_logging(config.output.log_level);
    daf::train_model(config);  // logs the summary table
    return 0;
  });
}
