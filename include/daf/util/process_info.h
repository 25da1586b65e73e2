#pragma once
// What a report says about how it was made: the command line as typed (shell
// quoted, so it can be pasted back) and the machine it ran on.
#include <string>

namespace daf {

// prepare_process records argv; an empty string before that.
void record_command_line(int argc, char** argv);
const std::string& command_line();

// "host, 16 cores, AMD EPYC 7B13" from the hostname and /proc/cpuinfo (what is readable).
std::string machine_description();

}  // namespace daf
