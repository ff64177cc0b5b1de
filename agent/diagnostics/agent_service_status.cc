// agent-service-status: the agent's systemd unit (loaded, active, since
// when, restarts) and the agent's own record of its last check-in.
//
// Basic class: state of Trellis itself.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"
#include "agent/facts/command_text.h"

namespace trellis::agent::diagnostics {
namespace {

constexpr char kProperties[] =
    "LoadState,ActiveState,SubState,UnitFileState,Result,MainPID,"
    "ExecMainStartTimestamp,NRestarts";

std::string When(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

absl::Status Run(DiagnosticContext& context) {
  const std::string& unit = context.env().service_name;
  auto run = context.RunCommand({"systemctl", "show", unit, "--no-pager",
                                 absl::StrCat("--property=", kProperties)});
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("systemctl show ", unit, " failed (exit ", run->exit_code,
                     "): ", FirstLine(run->stderr_text)));
  }
  std::string active;
  for (absl::string_view line :
       absl::StrSplit(run->stdout_text, '\n', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    if (kv.first == "ActiveState") active = std::string(kv.second);
    context.Line(absl::StrCat(kv.first, ": ", kv.second));
  }
  auto record = context.env().state->LoadRecord();
  if (record.ok()) {
    context.Line(absl::StrCat(
        "last check-in: ",
        record->last_checkin_at ? When(*record->last_checkin_at) : "never",
        record->last_checkin_result.empty()
            ? ""
            : " (" + record->last_checkin_result + ")"));
  } else {
    context.Line(absl::StrCat("agent record: ", record.status().message()));
  }
  if (active != "active") {
    return absl::UnavailableError(
        absl::StrCat(unit, " is not running (ActiveState ",
                     active.empty() ? "not reported" : active, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec AgentServiceStatus() {
  return MakeDiagnostic(
      "agent-service-status", PrivacyClass::kBasic, absl::Seconds(10), 4 << 10,
      "the agent's systemd service state and its last check-in", Run);
}

}  // namespace trellis::agent::diagnostics
