#include "agent/cli/status_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/cli/checklist.h"
#include "agent/cli/vpn_status_view.h"
#include "common/crypto/pki.h"
#include "common/util/json.h"
#include "common/util/terminal_text.h"

namespace trellis::agent {
namespace {

std::string SourceName(DeviceView::Source source) {
  switch (source) {
    case DeviceView::Source::kPrivateState:
      return "state";
    case DeviceView::Source::kStatusFile:
      return "status file";
    case DeviceView::Source::kNotEnrolled:
      return "not enrolled";
    case DeviceView::Source::kNeedsPermission:
      return "needs permission";
    case DeviceView::Source::kUnreadable:
      return "unreadable";
  }
  return "unknown";
}

// "compliant", or "grace (access kept until DATE)".
std::string ComplianceText(const EmployeeStatus& s) {
  if (s.grace_deadline) {
    return absl::StrCat(s.compliance_state, " (access kept until ",
                        WhenText(s.grace_deadline), ")");
  }
  return s.compliance_state;
}

// One line per failing check for JSON: "title (excepted until ...) - fix:
// remediation".
std::string FailingLine(const CheckLine& line, absl::Time now) {
  std::string note = ExceptionNote(line, now);
  return absl::StrCat(
      line.title, note.empty() ? "" : " (" + note + ")",
      line.remediation.empty() ? "" : " - fix: " + line.remediation);
}

std::string RenderFailing(const EmployeeStatus& s, absl::Time now) {
  if (s.failing.empty()) {
    return s.compliance_state == "not evaluated yet" ? ""
                                                     : "Failing checks: none\n";
  }
  std::string out = "Failing checks:\n";
  for (const CheckLine& line : s.failing) {
    absl::StrAppend(&out, "  ",
                    CheckHeading(line.state, line.title, line.policy_id,
                                 line.check_id, ExceptionNote(line, now)));
    if (!line.error.empty()) {
      absl::StrAppend(
          &out, "       Could not check: ", TerminalSafe(line.error), "\n");
    }
    if (!line.remediation.empty()) {
      absl::StrAppend(&out, "       How to fix:\n",
                      IndentSafe(line.remediation, "         "));
    }
  }
  return out;
}

struct Certificate {
  std::string expiry = "unknown";
  std::string problem;
};

Certificate LoadCertificate(const AgentState& state, absl::Time now) {
  Certificate c;
  auto identity = state.LoadIdentity();
  if (!identity.ok()) {
    c.problem = std::string(identity.status().message());
    return c;
  }
  auto cert = crypto::ParseCertificate(identity->cert_pem);
  if (cert.ok()) {
    c.expiry = WhenText(cert->not_after);
    if (cert->not_after <= now) c.problem = "certificate has expired";
  }
  return c;
}

std::string NotEnrolledReport(const DeviceView& view, const AgentState& state,
                              bool json) {
  const bool not_enrolled = view.source == DeviceView::Source::kNotEnrolled;
  if (json) {
    JsonObject o;
    if (not_enrolled) o.Add("enrolled", false);
    return o.Add("source", SourceName(view.source))
               .Add("state_dir", state.dir())
               .Add("problem", view.problem)
               .Build() +
           "\n";
  }
  return absl::StrCat("Enrolled:      ", not_enrolled ? "no" : "unknown",
                      "\nState dir:     ", TerminalSafe(state.dir()), "\n",
                      TerminalSafe(view.problem), "\n");
}

}  // namespace

int StatusExitCode(const DeviceView& view) {
  if (view.enrolled()) return 0;
  return view.source == DeviceView::Source::kNotEnrolled ? 3 : 4;
}

std::string StatusReport(const AgentState& state, absl::Time now, bool json,
                         TunnelController* tunnel) {
  return StatusReport(LoadDeviceView(state, RealFileReader()), state, now, json,
                      tunnel);
}

std::string StatusReport(const DeviceView& view, const AgentState& state,
                         absl::Time now, bool json, TunnelController* tunnel) {
  if (!view.enrolled()) return NotEnrolledReport(view, state, json);
  const EmployeeStatus& s = view.status;
  const bool private_state = view.record.has_value();
  Certificate cert;
  if (private_state) cert = LoadCertificate(state, now);
  VpnView vpn = s.vpn;
  ObserveTunnel(tunnel, vpn);
  if (json) {
    std::vector<std::string> failing;
    for (const CheckLine& line : s.failing) {
      failing.push_back(FailingLine(line, now));
    }
    JsonObject o;
    o.Add("enrolled", true)
        .Add("source", SourceName(view.source))
        .Add("state_dir", state.dir())
        .Add("server", s.server)
        .Add("device_id", s.device_id)
        .Add("group", s.group)
        .Add("ownership", s.ownership)
        .Add("enrolled_at", WhenText(s.enrolled_at));
    if (private_state) o.Add("certificate_expires_at", cert.expiry);
    o.Add("last_checkin_at", WhenText(s.last_checkin_at))
        .Add("last_attempt_at", WhenText(s.last_attempt_at))
        .Add("last_checkin_result", s.last_checkin_result);
    if (private_state) {
      o.Add("next_sequence", static_cast<int64_t>(view.record->next_sequence));
    }
    o.Add("compliance_state", s.compliance_state)
        .Add("grace_deadline",
             s.grace_deadline ? WhenText(s.grace_deadline) : std::string())
        .Add("failing_checks", absl::StrJoin(failing, "\n"));
    if (s.written_at) o.Add("status_written_at", WhenText(s.written_at));
    AddVpnJson(vpn, o);
    if (!cert.problem.empty()) o.Add("problem", cert.problem);
    return o.Build() + "\n";
  }
  std::string out = absl::StrCat(
      "Enrolled:      yes (", TerminalSafe(s.ownership), " device, group ",
      TerminalSafe(s.group), ")\n", "Server:        ", TerminalSafe(s.server),
      "\n", "Device id:     ", TerminalSafe(s.device_id), "\n",
      "Enrolled at:   ", WhenText(s.enrolled_at), "\n");
  if (private_state) {
    absl::StrAppend(&out, "Certificate:   expires ", cert.expiry, "\n");
  }
  absl::StrAppend(&out, "Compliance:    ", TerminalSafe(ComplianceText(s)),
                  "\n", RenderFailing(s, now),
                  "Last check-in: ", WhenText(s.last_checkin_at), "\n",
                  "Last attempt:  ", WhenText(s.last_attempt_at), "\n",
                  "Last result:   ", TerminalSafe(s.last_checkin_result), "\n");
  if (!cert.problem.empty()) {
    absl::StrAppend(&out, "Problem:       ", TerminalSafe(cert.problem), "\n");
  }
  absl::StrAppend(&out, RenderVpnView(vpn));
  if (!private_state) {
    absl::StrAppend(&out,
                    "Shown from:    ", TerminalSafe(StatusFilePath(state)),
                    " (written ", WhenText(s.written_at),
                    "); run as root for certificate details\n");
  }
  return out;
}

}  // namespace trellis::agent
