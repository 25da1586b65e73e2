// daf-predict: a trained head and the frozen encoders on new utterances.
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli_support.h"
#include "daf/extract/manifest.h"
#include "daf/extract/skip_report.h"
#include "daf/predict/prediction.h"
#include "daf/util/atomic_file.h"
#include "daf/util/paths.h"
#include "daf/util/standard_output.h"
#include "daf/util/strings.h"
#include "daf/util/tool_main.h"

int main(int argc, char** argv) {
  daf::prepare_process(argc, argv);
  CLI::App app{"daf-predict: run the frozen encoders of an extract config (daf-extract's code: tokenizers, decoding,\n"
               "resampling, chunking) and a trained head on new utterances; write id, prediction (or class and\n"
               "probabilities), each modality's fusion weight and the modalities that were masked.\n"
               "Inputs: a manifest (CSV or JSON Lines with id and text and/or audio, start, end; split and label\n"
               "columns are not needed, other columns are ignored), one utterance\n"
               "(--text/--audio), or JSON Lines on standard input ({\"id\", \"text\", \"audio\", \"start\", \"end\"}\n"
               "per line; one flushed result line per input line).\n"
               "A row left with no modality (no text and no audio, or both unusable) is a bad row under\n"
               "extract.on_error: fail stops naming it; skip leaves it out of the output (a pipe answers\n"
               "{\"line\": N, \"error\": ...}). A masked modality gets fusion weight 0.\n"
               "Example: daf-predict --run runs/demo --encoders enc/extract.yaml --text 'great movie' --audio a.wav"};
  daf::PredictRequest request;
  std::string manifest, text, audio, format = "csv", out;
  double start = 0, end = 0;
  app.add_option("--run", request.run_dir, "run directory (model.yaml + model.pt)");
  app.add_option("--model", request.model_file, "or a head that daf-export wrote");
  app.add_option("--encoders", request.encoders, "extract config with the text/audio encoder sections (as the "
                 "cache the head was trained on was made with)")->required();
  std::vector<std::string> arguments;
  app.add_option("arguments", arguments, "[MANIFEST] [section.key=value ...]: a CSV or JSON Lines manifest (absent, "
                 "and no --text/--audio: JSON Lines on standard input) and encoder config overrides, as --set takes "
                 "them (e.g. extract.on_error=skip)");
  app.add_option("--text", text, "one utterance: its text");
  app.add_option("--audio", audio, "one utterance: its audio file");
  app.add_option("--start", start, "one utterance: start in the audio file, seconds")->check(CLI::NonNegativeNumber);
  app.add_option("--end", end, "one utterance: end in the audio file, seconds (0: the end)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--format", format, "csv or jsonl (standard input always answers in JSON Lines)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  app.add_option("--out", out, "file to write (atomically); default: standard output");
  app.add_flag("--allow-other-encoders", request.allow_other_encoders,
               "run even when an encoder is not the one the head's features came from (its SHA-256 differs): the "
               "predictions then come from features the head never saw and may mean nothing");
  app.add_option("--set", request.overrides, "encoder config overrides, e.g. --set audio.max_seconds=10");
  app.footer(daf::cli::kExitCodesHelp);
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    // As every tool: section.key=value arguments are overrides; the one other argument is the manifest.
    for (const auto& argument : arguments) {
      if (argument.find('=') != std::string::npos) {
        request.overrides.push_back(argument);
      } else if (manifest.empty()) {
        manifest = argument;
      } else {
        throw daf::InputError("two manifests given ('" + manifest + "' and '" + argument + "'); give one");
      }
    }
    if (!out.empty()) {
      std::vector<std::string> inputs = {manifest, audio, request.encoders, request.model_file};
      if (!request.run_dir.empty())
        for (const auto& f : daf::files_under(request.run_dir)) inputs.push_back(f);
      daf::refuse_output_over_inputs(out, inputs, "--out");
      daf::check_output_path(out);
    }
    daf::Predictor predictor(request);
    spdlog::info("loaded the head and encoders in {:.2f} s", predictor.load_seconds());
    const bool jsonl = format == "jsonl";
    // Rows skipped under on_error=skip (no modality left) are left out and listed.
    const auto write = [&](const std::vector<daf::PredictionRecord>& records, std::ostream& stream) {
      if (!jsonl) stream << predictor.csv_header() << "\n";
      for (const auto& r : records)
        if (r.error.empty()) stream << (jsonl ? predictor.json_line(r) : predictor.csv_line(r)) << "\n";
        else spdlog::warn("skipped: {}", r.error);
    };
    const auto started = std::chrono::steady_clock::now();
    const auto rate = [&](size_t n) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      spdlog::info("{} utterances in {:.2f} s ({:.1f} utterances/s)", n, s, s > 0 ? n / s : 0.0);
    };
    std::vector<daf::Utterance> rows;
    if (app.count("--text") > 0 || app.count("--audio") > 0) {
      if (!manifest.empty()) throw daf::InputError("give a manifest or --text/--audio, not both");
      daf::Utterance u;
      u.id = "utterance";
      u.split = "test";
      u.text = text;
      u.audio = audio;
      u.start = start;
      u.end = end;
      u.where = "--text/--audio";
      rows.push_back(u);
    } else if (!manifest.empty()) {
      daf::SkipReport problems(predictor.skip_errors());
      rows = daf::read_prediction_manifest(manifest, problems).rows;
    } else {
      // A pipe: one utterance per line, answered at once.
      std::string line;
      int64_t number = 0;
      size_t done = 0;
      while (std::getline(std::cin, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        std::string error;
        try {
          const auto records = predictor.predict({daf::parse_utterance_json(line, "standard input", number)});
          error = records.front().error;
          if (error.empty()) std::cout << predictor.json_line(records.front()) << "\n";
          ++done;
        } catch (const daf::InputError& e) {
          if (!predictor.skip_errors()) throw;
          error = e.what();
        }
        if (!error.empty()) std::cout << "{\"line\": " << number << ", \"error\": " << daf::json_escape(error) << "}\n";
        daf::flush_standard_output();  // each answer reaches the reader now, and a closed pipe ends the loop
      }
      rate(done);
      return 0;
    }
    const auto records = predictor.predict(rows);
    if (out.empty()) {
      write(records, std::cout);
    } else {
      std::ostringstream text_out;
      write(records, text_out);
      daf::write_file_atomic(out, text_out.str());
    }
    rate(records.size());
    return 0;
  });
}
