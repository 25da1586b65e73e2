// daf-ablate: reproducible sweeps comparing dynamic, static and unimodal fusion.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli_support.h"
#include "daf/ablate/collect.h"
#include "daf/ablate/summary_html.h"
#include "daf/ablate/sweep.h"
#include "daf/ablate/sweep_runner.h"
#include "daf/util/tool_main.h"

int main(int argc, char** argv) {
  daf::prepare_process(argc, argv);
  CLI::App app{"daf-ablate: train every condition of an ablation sweep with several seeds, evaluate them under\n"
               "robustness conditions and write the comparison (summary.md, CSVs, plots).\n"
               "Examples:\n"
               "  daf-ablate --config configs/ablate-demo.yaml --jobs 2\n"
               "  daf-ablate --config configs/ablate-mosei.yaml --shard 3/16   # one Slurm array task\n"
               "  daf-ablate --collect runs/ablate-mosei                       # after all shards\n"
               "  daf-ablate --config configs/search-mosei.yaml --jobs 2       # hyper-parameter search"};
  std::string sweep_file, shard = "1/1", out, collect_dir, report_dir;
  int64_t jobs = 1;
  bool allow_partial = false, no_plots = false, no_collect = false, print_output = false, separate = false,
       print_stages = false;
  std::vector<std::string> overrides;
  app.add_option("-c,--config", sweep_file,
                 "sweep YAML (base config, conditions/grid, seeds, evaluate, compare; or a search: section)");
  app.add_option("--jobs,-j", jobs, "runs trained at the same time in this process, 1 to 256 (default 1)")
      ->check(daf::cli::integer_range(1, 256));
  app.add_flag("--separate", separate,
               "train every run on its own; by default runs that differ only in their seed, learning rate, weight "
               "decay, clipping, dropout, modality dropout, loss or gate temperature train together as one stacked "
               "model (the same numbers, faster)");
  app.add_option("--shard", shard, "run only slice K of N of the run list (e.g. 3/16), for job arrays");
  app.add_option("--out", out, "output folder (default: the sweep's 'output')");
  app.add_option("--collect", collect_dir, "only aggregate the finished runs in this output folder");
  app.add_flag("--allow-partial", allow_partial, "with --collect: aggregate even if runs are missing");
  app.add_option("--report", report_dir,
                 "only write summary.html again from the summary.md and the runs' test predictions in this collected "
                 "output folder (nothing is recomputed)");
  app.add_flag("--no-plots", no_plots, "do not draw plots (gnuplot)");
  app.add_flag("--no-collect", no_collect, "train and evaluate only; do not aggregate at the end");
  app.add_flag("--print-output", print_output, "print the sweep's output folder (after --out) and exit, for scripts");
  app.add_flag("--print-stages", print_stages,
               "print how many times a --shard array must run before --collect (1; a search 2; with halving one per "
               "rung plus 1) and exit, for scripts");
  app.add_option("overrides", overrides, "section.key=value settings applied to every run, e.g. train.max_epochs=10");
  app.footer("Sweep file format: docs/ablation.md. Resume: run the same command again; finished runs are kept.\n"
             "A search with --shard: run the array --print-stages times (trials, each halving rung, the final\n"
             "stage; finished work is skipped), then --collect. scripts/slurm/submit-sweep.sh chains them.\n" +
             std::string(daf::cli::kExitCodesHelp));
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    daf::CollectOptions collect_options;
    collect_options.allow_partial = allow_partial;
    collect_options.plots = !no_plots;
    if (!report_dir.empty()) {
      daf::write_sweep_summary_html(report_dir);
      std::cerr << "wrote " << report_dir << "/summary.html\n";
      return 0;
    }
    if (!collect_dir.empty()) {
      const auto result = daf::collect_sweep(collect_dir, collect_options);
      std::cout << result.terminal_summary;
      spdlog::info("collected {} runs into {}/summary.md and summary.html", result.runs, collect_dir);
      return 0;
    }
    if (sweep_file.empty()) throw daf::InputError("no sweep given: pass --config SWEEP.yaml (or --collect DIR)");
    daf::Sweep sweep = daf::load_sweep(sweep_file, overrides);
    if (!out.empty()) sweep.output = out;
    if (print_output) {
      std::cout << sweep.output << "\n";
      return 0;
    }
    if (print_stages) {
      std::cout << daf::array_stages(sweep) << "\n";
      return 0;
    }
    daf::SweepOptions options;
    options.jobs = jobs;
    options.train_together = !separate;
    options.plots = !no_plots;
    std::tie(options.shard, options.shard_count) = daf::parse_shard(shard);
    const auto report = daf::run_sweep(sweep, options);
    spdlog::info("shard {}/{}: {} runs finished here, {} were already done; {:.1f}s", options.shard,
                 options.shard_count, report.completed, report.skipped, report.seconds);
    if (report.trials_unfinished > 0) return 0;
    if (options.shard_count > 1 || no_collect) {
      spdlog::info("when every shard is done: daf-ablate --collect {}", sweep.output);
      return 0;
    }
    const auto result = daf::collect_sweep(sweep.output, collect_options);
    std::cout << result.terminal_summary;
    spdlog::info("wrote {}/summary.md and {}/summary.html", sweep.output, sweep.output);
    return 0;
  });
}
