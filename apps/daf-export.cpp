// daf-export: a trained run's fusion head as one TorchScript file anyone can run.
#include <spdlog/spdlog.h>

#include "cli_support.h"
#include "daf/export/head_export.h"
#include "daf/util/tool_main.h"

int main(int argc, char** argv) {
  daf::prepare_process(argc, argv);
  CLI::App app{"daf-export: write a run's fusion head as one self-contained TorchScript module (weights,\n"
               "normalisation statistics, modalities, task, class names, fusion, encoders' provenance) that\n"
               "torch.jit.load() in Python or LibTorch runs without daf:\n"
               "  out = head({\"text\": t, \"audio\": a}, {\"audio\": present})  -> prediction | probabilities, class;\n"
               "  weights, weight_<modality> (fusion weights; not for concat)\n"
               "Example: daf-export --run runs/demo --out head.pt"};
  std::string run, out;
  app.add_option("--run", run, "run directory (model.yaml and model.pt, as daf-train writes them)")->required();
  app.add_option("--out", out, "TorchScript file to write (replaced atomically)")->required();
  app.footer(daf::cli::kExitCodesHelp);
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    const daf::ExportSummary summary = daf::export_head(run, out);
    if (!summary.unfinished.empty()) spdlog::warn("{}; the head records finished: false", summary.unfinished);
    std::string encoders;
    for (const auto& [modality, text] : summary.encoders) encoders += (encoders.empty() ? "" : "; ") + modality + ": " + text;
    spdlog::info("wrote {}: {} parameters; encoders: {}", summary.path, summary.parameters, encoders);
    return 0;
  });
}
