// daf-manifest: a dataset's folder as distributed -> the manifest daf-extract reads.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli_support.h"
#include "daf/datasets/manifest_config.h"
#include "daf/util/tool_main.h"

int main(int argc, char** argv) {
  daf::prepare_process(argc, argv);
  CLI::App app{
      "daf-manifest: read a dataset's folder as distributed and write the manifest daf-extract reads (id, split,\n"
      "text, audio, labels, and speaker / session / dialogue as metadata), <out>.summary.md (rows per split and\n"
      "class) and <out>.skipped.csv (everything left out, and why). docs/datasets.md describes each layout.\n"
      "Example:\n"
      "  daf-manifest --dataset iemocap --root /data/IEMOCAP_full_release --out data/iemocap.csv\n"
      "  daf-manifest --dataset meld --root /data/MELD.Raw --out data/meld.csv\n"
      "  daf-manifest --dataset sims --root /data/CH-SIMS --out data/sims.csv\n"
      "  daf-manifest --dataset mosi --root /data/CMU_MOSI --out data/mosi.csv mosi.labels=/data/sdk/CMU_MOSI_Opinion_Labels.csd \\\n"
      "      mosi.folds=configs/folds/cmu-mosi.yaml\n"
      "  daf-extract -c configs/datasets/iemocap.yaml"};
  std::string config_file, dataset, root, out, classes;
  std::vector<std::string> overrides;
  bool print_config = false;
  app.add_option("--dataset", dataset, "the dataset's layout: iemocap, meld, sims, mosi or mosei (manifest.dataset)");
  app.add_option("--root", root, "the dataset's folder (manifest.root)");
  app.add_option("--out", out, "manifest CSV to write (manifest.out)");
  app.add_option("--classes", classes, "IEMOCAP's class set: 4, 6 or all (iemocap.classes)");
  app.add_option("-c,--config", config_file, "YAML file with a manifest section and dataset sections");
  app.add_flag("--print-config", print_config, "print the resolved settings and exit");
  app.add_option("overrides", overrides, "section.key=value settings, e.g. iemocap.strip_tags=false");
  app.footer(daf::cli::options_help(daf::declare_manifest_options));
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    if (!dataset.empty()) overrides.push_back("manifest.dataset=" + dataset);
    if (!root.empty()) overrides.push_back("manifest.root=" + root);
    if (!out.empty()) overrides.push_back("manifest.out=" + out);
    if (!classes.empty()) overrides.push_back("iemocap.classes=" + classes);
    const daf::ManifestConfig config = daf::load_manifest_config(config_file, overrides);
    if (print_config) {
      std::cout << daf::manifest_config_yaml(config);
      return 0;
    }
    const daf::DatasetManifest manifest = daf::read_dataset(config);
    daf::write_dataset_manifest(config.out, manifest);
    std::cout << daf::manifest_summary(manifest);
    spdlog::info("wrote {} ({} utterances); {} items skipped, listed in {}.skipped.csv", config.out,
                 manifest.rows.size(), manifest.skipped.size(), config.out);
    return 0;
  });
}
