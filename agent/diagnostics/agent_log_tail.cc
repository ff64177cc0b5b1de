// agent-log-tail: the last lines the agent logged. The agent logs to stderr
// only (common/util/logging.h), which systemd hands to the journal, so this
// reads the journal for the agent's unit:
//   journalctl -u trellis-agent -n LINES --no-pager -o short-iso
// Lines are streamed once journalctl has finished (CommandRunner collects a
// command's output), each one through the output bound.
//
// Detailed class: log lines can name networks, addresses and server
// messages about this device, more than basic posture data.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"
#include "agent/facts/command_text.h"

namespace trellis::agent::diagnostics {
namespace {

absl::Status Run(DiagnosticContext& context) {
  const std::string lines = absl::StrCat(context.params().Integer("lines"));
  auto run = context.RunCommand({"journalctl", "-u", context.env().service_name,
                                 "-n", lines, "--no-pager", "-o", "short-iso"});
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("journalctl failed (exit ", run->exit_code, "): ",
                     FirstLine(run->stderr_text.empty() ? run->stdout_text
                                                        : run->stderr_text)));
  }
  for (absl::string_view line :
       absl::StrSplit(run->stdout_text, '\n', absl::SkipEmpty())) {
    context.Line(line);
  }
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec AgentLogTail() {
  ParamSpec lines;
  lines.name = "lines";
  lines.type = ParamType::kInteger;
  lines.description = "how many lines, newest last";
  lines.min = 1;
  lines.max = 1000;
  lines.default_value = "100";
  return MakeDiagnostic(
      "agent-log-tail", PrivacyClass::kDetailed, absl::Seconds(15), 64 << 10,
      "the last lines of the agent's log (its systemd journal)", Run, {lines});
}

}  // namespace trellis::agent::diagnostics
