// daf-extract: frozen TorchScript text/speech encoders -> per-utterance embeddings in the cache.
#include <spdlog/spdlog.h>

#include "cli_support.h"
#include "daf/extract/extract_config.h"
#include "daf/extract/extraction.h"
#include "daf/util/tool_main.h"

int main(int argc, char** argv) {
  daf::prepare_process(argc, argv);
  CLI::App app{
      "daf-extract: embed every utterance of a manifest (CSV or JSON Lines: id, split, text, audio, start, end,\n"
      "labels) with frozen TorchScript encoders, or add a text embedding to a cache that holds transcripts, and\n"
      "write the embedding cache daf-train reads. Resumable: a killed run continues from <output>.partial.\n"
      "Examples:\n"
      "  daf-extract -c data/speech-demo/extract.yaml    (as scripts/speech-demo.sh writes it)\n"
      "  daf-extract -c corpus.yaml --shard 3/8          (writes <output stem>.shard-3-of-8.h5)\n"
      "  daf-extract --merge data/c.shard-*.h5 --out data/c.h5\n"
      "  daf-extract -c corpus.yaml --collect 8          (the same, from the config; names missing shards)"};
  std::string config_file, manifest, input_cache, out, shard;
  std::vector<std::string> merge, overrides;
  bool print_config = false;
  int64_t collect = 0;
  app.add_option("-c,--config", config_file, "YAML file with extract/text/audio sections (flags below override it)");
  app.add_option("--manifest", manifest, "manifest to embed (extract.manifest)");
  app.add_option("--input-cache", input_cache, "cache with transcripts to add a text embedding to (extract.input_cache)");
  app.add_option("--out", out, "cache to write (extract.output); with --merge, the merged cache");
  app.add_option("--shard", shard, "K/N: process the K-th of N slices of every split (extract.shard)");
  app.add_option("--merge", merge, "combine these shard caches of one job into --out, checking that every shard "
                                   "is there exactly once");
  app.add_option("--collect", collect, "N: merge the N shard caches of this config (<output stem>.shard-K-of-N.h5) "
                                       "into extract.output, naming any shard that is missing (1 to 100000)")
      ->check(daf::cli::integer_range(1, 100000));
  app.add_flag("--print-config", print_config, "print the resolved config and exit");
  app.add_option("overrides", overrides, "section.key=value settings, e.g. text.batch_size=64");
  app.footer(daf::cli::options_help(daf::declare_extract_options));
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    if (!merge.empty()) {
      if (out.empty()) throw daf::InputError("--merge needs --out (the merged cache)");
      daf::merge_extract_shards(merge, out);
      spdlog::info("merged {} shards into {}", merge.size(), out);
      return 0;
    }
    if (!manifest.empty()) overrides.push_back("extract.manifest=" + manifest);
    if (!input_cache.empty()) overrides.push_back("extract.input_cache=" + input_cache);
    if (!out.empty()) overrides.push_back("extract.output=" + out);
    if (!shard.empty()) overrides.push_back("extract.shard=" + shard);
    const daf::ExtractConfig config = daf::load_extract_config(config_file, overrides);
    if (collect > 0) {
      daf::collect_extract_shards(config, collect);
      spdlog::info("merged {} shards into {}", collect, config.output);
      return 0;
    }
    if (print_config) {
      std::cout << daf::extract_config_yaml(config);
      return 0;
    }
    const daf::ExtractionResult result = daf::run_extraction(config);
    if (result.already_complete) {
      spdlog::info("{} already holds this job's embeddings; nothing to do", result.output);
      return 0;
    }
    for (const auto& line : result.pass_summaries) spdlog::info("{}", line);
    if (result.skipped > 0)
      spdlog::info("wrote {} ({} utterances); {} skipped, listed in {}", result.output, result.utterances,
                   result.skipped, result.report);
    else
      spdlog::info("wrote {} ({} utterances); nothing skipped", result.output, result.utterances);
    return 0;
  });
}
