// daf-tokenize: the ids daf-extract would give each text, for debugging tokenization.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli_support.h"
#include "daf/extract/extract_config.h"
#include "daf/text/tokenize_lines.h"
#include "daf/util/paths.h"
#include "daf/util/tool_main.h"

int main(int argc, char** argv) {
  daf::prepare_process(argc, argv);
  CLI::App app{"daf-tokenize: tokenize one text per line (FILE, or standard input) with the text section of an\n"
               "extract config, exactly as daf-extract would (special tokens, truncation), and print one JSON\n"
               "object per line: {\"text\": ..., \"ids\": [...], \"pieces\": [...]}. Lines are split on \\n only.\n"
               "Example: echo 'Hello, world!' | daf-tokenize -c configs/extract-bert.yaml"};
  std::string config_file;
  std::vector<std::string> arguments;
  app.add_option("-c,--config", config_file, "extract config (YAML); only its text section is used")->required();
  app.add_option("arguments", arguments, "[FILE] [section.key=value ...]: the text file (one text per line; absent "
                 "or '-': standard input) and overrides, e.g. text.max_length=16");
  app.footer(daf::cli::options_help(daf::declare_extract_options));
  if (const int code = daf::cli::parse(app, argc, argv); code >= 0) return code;

  return daf::run_tool([&] {
    std::string input;
    std::vector<std::string> overrides;
    for (const auto& argument : arguments) {
      if (argument.find('=') != std::string::npos) {
        overrides.push_back(argument);
      } else if (input.empty()) {
        input = argument;
      } else {
        throw daf::InputError("two input files given ('" + input + "' and '" + argument + "'); give one");
      }
    }
    const auto tokenizer = daf::load_tokenizer(daf::load_tokenizer_config(config_file, overrides));
    if (input.empty() || input == "-") {
      daf::tokenize_lines(*tokenizer, std::cin, std::cout, "standard input");
      return 0;
    }
    daf::require_file(input);
    std::ifstream in(input, std::ios::binary);
    if (!in) throw daf::InputError(input + ": cannot open (" + std::strerror(errno) + ")");
    daf::tokenize_lines(*tokenizer, in, std::cout, input);
    return 0;
  });
}
