#include "daf/util/process_info.h"

#include <unistd.h>

#include <fstream>
#include <thread>

namespace daf {
namespace {

std::string& stored_command_line() {
  static std::string line;
  return line;
}

// Quoted for a POSIX shell only where needed: 'it'\''s' for a quote inside.
std::string shell_word(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                              "_-./=:,+@%") == std::string::npos)
    return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

void record_command_line(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + shell_word(argv[i]);
  stored_command_line() = line;
}

const std::string& command_line() { return stored_command_line(); }

std::string machine_description() {
  char host[256] = {};
  std::string text = ::gethostname(host, sizeof host - 1) == 0 ? host : "unknown host";
  text += ", " + std::to_string(std::thread::hardware_concurrency()) + " cores";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) text += ", " + line.substr(line.find_first_not_of(' ', colon + 1));
      break;
    }
  return text;
}

}  // namespace daf
