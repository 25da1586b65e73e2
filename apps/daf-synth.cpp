// daf-synth: write a synthetic, MOSEI-shaped embedding cache (demo and tests).
#include <spdlog/spdlog.h>

#include "cli_support.h"
#include "daf/data/cache_io.h"
#include "daf/data/synthetic.h"
#include "daf/util/strings.h"
#include "daf/util/tool_main.h"

int main(int argc, char** argv) {
  daf::prepare_process(argc, argv);
  CLI::App app{"daf-synth: write a synthetic embedding cache shaped like CMU-MOSEI (text 768, audio 74, video 35)\n"
               "whose per-utterance modality reliability varies (see docs/synthetic-data.md).\n"
               "Example: daf-synth --preset demo --out data/demo.h5"};
  std::string config_file, preset = "demo", out;
  std::vector<std::string> overrides;
  app.add_option("--out", out, "HDF5 cache to write (replaced atomically)")->required();
  app.add_option("--preset", preset, "split sizes: tiny (240/80/80), demo (2000/500/1000), mosei (16326/1871/4659)");
  app.add_option("-c,--config", config_file, "YAML file with a 'synth' section, applied after the preset");
  app.add_option("overrides", overrides, "synth.key=value settings, e.g. synth.seed=3");
  app.footer(daf::cli::options_help(daf::declare_synth_options));
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    const daf::SynthConfig config = daf::load_synth_config(preset, config_file, overrides);
    const daf::EmbeddingCache cache = daf::generate_synthetic_cache(config);
    daf::write_cache(out, cache);
    spdlog::info("wrote {}: train {} / valid {} / test {} utterances, text {} audio {} video {} dims", out,
                 config.train_size, config.valid_size, config.test_size, config.text_dim, config.audio_dim,
                 config.video_dim);
    return 0;
  });
}
