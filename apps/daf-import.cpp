// daf-import: CMU-MultimodalSDK computational sequences (.csd) -> embedding cache.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli_support.h"
#include "daf/import/csd_import.h"
#include "daf/import/synthetic_csd.h"
#include "daf/util/tool_main.h"

int main(int argc, char** argv) {
  daf::prepare_process(argc, argv);
  CLI::App app{"daf-import: turn CMU-MultimodalSDK computational sequences (.csd) into a daf embedding cache:\n"
               "per labelled segment, the mean of each modality's overlapping feature rows, the transcript and\n"
               "all label columns. Memory is bounded by one video.\n"
               "Example: daf-import --labels CMU_MOSEI_Labels.csd --feature audio=CMU_MOSEI_COVAREP.csd \\\n"
               "           --feature video=CMU_MOSEI_VisualFacet42.csd --words CMU_MOSEI_TimestampedWords.csd \\\n"
               "           --folds mosei_folds.yaml --out data/mosei.h5"};
  std::string config_file, labels, words, folds, out, synthetic;
  std::vector<std::string> features, overrides;
  app.add_option("-c,--config", config_file, "YAML file with an 'import' section (flags below override it)");
  app.add_option("--labels", labels, "labels .csd (one row per labelled segment)");
  app.add_option("--feature", features, "modality=path.csd (repeatable), e.g. audio=CMU_MOSEI_COVAREP.csd");
  app.add_option("--words", words, "optional words .csd, for transcripts");
  app.add_option("--folds", folds, "YAML/JSON {train: [...], valid: [...], test: [...]} of video ids");
  app.add_option("--out", out, "embedding cache to write");
  app.add_option("--write-synthetic", synthetic,
                 "instead of importing, write a synthetic CMU-MOSEI stand-in into this folder, under the SDK's "
                 "file names (labels, COVAREP, FACET, GloVe-like word vectors, words; with NaN, missing videos, "
                 "zero-length segments), whose features carry the sentiment and whose text or audio is wrong "
                 "for some segments (docs/import.md); csd.* keys size it. Disk: about 4.5 MB per video at the "
                 "default segment lengths (COVAREP's 100 frames/s is 80% of it): csd.videos=300 takes 1.3 GB");
  app.add_option("overrides", overrides, "import.key=value settings (csd.key=value with --write-synthetic)");
  app.footer(daf::cli::options_help(daf::declare_import_options) + "\n\nWith --write-synthetic:\n" +
             daf::cli::options_help(daf::declare_synthetic_csd_options));
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    if (!synthetic.empty()) {
      const daf::SyntheticCsdSpec spec = daf::load_synthetic_csd_spec(overrides);
      const auto files = daf::write_synthetic_csd(synthetic, spec);
      spdlog::info("wrote {} videos, {} labelled segments, {:.1f} MB: {}, {}, {}, {}, {}; folds: {}", spec.videos,
                   files.segments, files.bytes / 1e6, files.labels, files.covarep, files.facet, files.word_vectors,
                   files.words, files.folds);
      return 0;
    }
    if (!labels.empty()) overrides.push_back("import.labels=" + labels);
    if (!words.empty()) overrides.push_back("import.words=" + words);
    if (!folds.empty()) overrides.push_back("import.folds=" + folds);
    if (!out.empty()) overrides.push_back("import.output=" + out);
    if (!features.empty()) {
      std::string list = "[";
      for (size_t i = 0; i < features.size(); ++i) list += (i ? ", " : "") + ("'" + features[i] + "'");
      overrides.push_back("import.features=" + list + "]");
    }
    const daf::ImportConfig config = daf::load_import_config(config_file, overrides);
    const daf::ImportReport report = daf::import_csd(config);
    spdlog::info("wrote {}\n{}", config.output, report.text());
    return 0;
  });
}
