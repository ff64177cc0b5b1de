#include "agent/feedback/employee_notifier.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

std::string VpnAccessMessage(int previous_access,
                             const v1::VpnAssignment& assignment) {
  const int access = assignment.access();
  // The first assignment is the baseline; access 0 means "not known".
  if (previous_access == v1::VPN_ACCESS_UNSPECIFIED ||
      access == v1::VPN_ACCESS_UNSPECIFIED || access == previous_access) {
    return "";
  }
  std::string why = assignment.reason().empty()
                        ? std::string()
                        : absl::StrCat(": ", assignment.reason());
  switch (access) {
    case v1::VPN_ACCESS_NONE:
      return absl::StrCat("This device has lost VPN access", why, ".");
    case v1::VPN_ACCESS_QUARANTINE:
      return absl::StrCat(
          "VPN access is limited to the services that help fix this device",
          why, ".");
    case v1::VPN_ACCESS_FULL:
      return absl::StrCat("VPN access is restored", why, ".");
    default:
      return "";
  }
}

bool NotifyCheckInChanges(CommandRunner& runner, int previous_state,
                          int previous_access,
                          const v1::CheckInResponse& response) {
  std::vector<std::string> parts;
  if (response.compliance_state() != previous_state) {
    std::string compliance = ComplianceMessage(response);
    if (!compliance.empty()) parts.push_back(std::move(compliance));
  }
  if (response.has_vpn()) {
    std::string vpn = VpnAccessMessage(previous_access, response.vpn());
    if (!vpn.empty()) parts.push_back(std::move(vpn));
  }
  if (parts.empty()) return false;
  return Notify(runner, absl::StrJoin(parts, " ")).ok();
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
