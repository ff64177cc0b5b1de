// Running a command for a collector and turning every way it can fail
// into a reason that names the command, so an UNKNOWN table says what was
// tried and what went wrong.
#ifndef TRELLIS_AGENT_FACTS_COMMAND_TEXT_H_
#define TRELLIS_AGENT_FACTS_COMMAND_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/facts/collector.h"
#include "common/exec/command_runner.h"

namespace trellis::agent {

// The argv joined by spaces, as reasons and FakeCommandRunner show it.
std::string CommandLine(const std::vector<std::string>& argv);

// The first non-blank line of `text`, trimmed and cut to 160 bytes: enough
// to identify an error message without copying a whole dump into a reason.
std::string FirstLine(absl::string_view text);

// The last non-blank line, likewise: tools that print progress first put
// the error at the end.
std::string LastLine(absl::string_view text);

// Runs `argv` with the context's timeout. Errors (not installed, timed out)
// come back with the command line in front of the runner's message.
absl::StatusOr<CommandResult> RunCommand(CollectContext& ctx,
                                         const std::vector<std::string>& argv);

// As RunCommand, and a non-zero exit is an error too, naming the status and
// the first line of stderr (or stdout when stderr is empty).
absl::StatusOr<CommandResult> RunExpectingSuccess(
    CollectContext& ctx, const std::vector<std::string>& argv);

// "<command line>: <message>" for a parse failure.
std::string ParseFailureReason(const std::vector<std::string>& argv,
                               const absl::Status& status);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FACTS_COMMAND_TEXT_H_
