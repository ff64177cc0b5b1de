// The agent's command line: which command, its flags (each command accepts
// only its own, so a typo or a flag of another command is an error naming
// it), their values checked against their ranges, and --help / --version.
// One table per command gives both what it accepts and its usage text.
#ifndef TRELLIS_AGENT_CLI_COMMAND_LINE_H_
#define TRELLIS_AGENT_CLI_COMMAND_LINE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/util/args.h"

namespace trellis::agent {

// Ranges of `run`'s durations (inclusive): the server's own range for the
// check-in interval.
inline constexpr absl::Duration kMinRunInterval = absl::Seconds(1);
inline constexpr absl::Duration kMaxRunInterval = absl::Hours(24);
inline constexpr absl::Duration kMinMaxBackoff = absl::Seconds(1);
inline constexpr absl::Duration kMaxMaxBackoff = absl::Hours(24);

// One command: its name, what it does, and the flags it accepts.
struct CommandDoc {
  std::string name;
  std::string summary;  // lines under the command in the usage text
  std::vector<FlagDoc> flags;
};
const std::vector<CommandDoc>& AgentCommands();

// The --help text, made from AgentCommands().
std::string AgentUsage();

// "trellis-agent <version>\n"
std::string AgentVersionLine();

struct CommandLine {
  enum class Action {
    kCommand,  // run `command` with `args`
    kHelp,     // print AgentUsage() on stdout, exit 0
    kVersion,  // print AgentVersionLine() on stdout, exit 0
    kError,    // print `error` on stderr, exit 2
  };
  Action action = Action::kError;
  std::string command;
  ParsedArgs args;
  // `run`'s --interval and --max-backoff, when given (in range).
  std::optional<absl::Duration> interval;
  std::optional<absl::Duration> max_backoff;
  std::string error;
};

// `argv` without the program name.
CommandLine ParseCommandLine(const std::vector<std::string>& argv);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_COMMAND_LINE_H_
