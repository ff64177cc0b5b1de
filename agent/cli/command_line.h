// The agent's command line: which command, its flags (each command accepts
// only its own, so a typo or a flag of another command is an error naming
// it), and --help / --version.
#ifndef TRELLIS_AGENT_CLI_COMMAND_LINE_H_
#define TRELLIS_AGENT_CLI_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "common/util/args.h"

namespace trellis::agent {

extern const char kAgentUsage[];

// "trellis-agent <version>\n"
std::string AgentVersionLine();

struct CommandLine {
  enum class Action {
    kCommand,  // run `command` with `args`
    kHelp,     // print kAgentUsage on stdout, exit 0
    kVersion,  // print AgentVersionLine() on stdout, exit 0
    kError,    // print `error` on stderr, exit 2
  };
  Action action = Action::kError;
  std::string command;
  ParsedArgs args;
  std::string error;
};

// `argv` without the program name.
CommandLine ParseCommandLine(const std::vector<std::string>& argv);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_COMMAND_LINE_H_
