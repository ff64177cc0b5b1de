#include "agent/feedback/employee_notifier.h"

#include "absl/strings/str_cat.h"
#include "common/util/logging.h"
#include "common/util/proto_time.h"
#include "common/util/time_format.h"

namespace trellis::agent {
namespace {

// The first failing enforced check that is not excepted, as "title: fix".
std::string FirstProblem(const v1::Verdict& verdict) {
  for (const v1::CheckResult& r : verdict.results()) {
    bool failing =
        r.state() == v1::CHECK_STATE_FAIL || r.state() == v1::CHECK_STATE_ERROR;
    if (!failing || r.has_excepted_until()) continue;
    if (r.enforcement() != v1::ENFORCEMENT_RESTRICT &&
        r.enforcement() != v1::ENFORCEMENT_QUARANTINE) {
      continue;
    }
    std::string fix = r.remediation().empty() ? std::string("ask IT for help")
                                              : r.remediation();
    return absl::StrCat(r.title(), ". To fix: ", fix);
  }
  return "";
}

}  // namespace

std::string ComplianceMessage(const v1::CheckInResponse& response) {
  std::string problem = FirstProblem(response.verdict());
  switch (response.compliance_state()) {
    case v1::COMPLIANCE_STATE_COMPLIANT:
      return "This device meets policy; VPN access is available.";
    case v1::COMPLIANCE_STATE_GRACE:
      return absl::StrCat("This device does not meet policy: ", problem,
                          ". Access is kept until ",
                          Rfc3339(FromProtoTime(response.grace_deadline())),
                          "; run 'trellis-agent check' for details.");
    case v1::COMPLIANCE_STATE_NONCOMPLIANT:
      return absl::StrCat("This device has lost VPN access: ", problem,
                          ". Run 'trellis-agent check' for details.");
    default:
      return "";
  }
}

absl::StatusOr<std::string> Notify(CommandRunner& runner,
                                   const std::string& message) {
  auto desktop = runner.Run(
      {"notify-send", "--app-name=Trellis", "Trellis device check", message},
      absl::Seconds(5));
  if (desktop.ok() && desktop->exit_code == 0) return std::string("desktop");
  auto syslog =
      runner.Run({"logger", "-t", "trellis-agent", message}, absl::Seconds(5));
  if (syslog.ok() && syslog->exit_code == 0) return std::string("syslog");
  LogWarning("employee notice: ", message);
  return std::string("log");
}

bool NotifyOnChange(CommandRunner& runner, int previous_state,
                    const v1::CheckInResponse& response) {
  if (response.compliance_state() == previous_state) return false;
  std::string message = ComplianceMessage(response);
  if (message.empty()) return false;
  auto where = Notify(runner, message);
  return where.ok();
}

}  // namespace trellis::agent
