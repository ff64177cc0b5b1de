#include "agent/cli/status_report.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "agent/cli/vpn_status_view.h"
#include "common/crypto/pki.h"
#include "common/util/files.h"
#include "common/util/json.h"
#include "common/util/proto_time.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {
namespace {

std::string When(std::optional<absl::Time> t) {
  if (!t) return "never";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", *t, absl::UTCTimeZone());
}

}  // namespace

// The last server verdict as status lines: state, deadline, failing checks.
struct ComplianceView {
  std::string state = "not evaluated yet";
  std::string deadline;
  std::vector<std::string> failing;
};

ComplianceView LoadCompliance(const AgentState& state) {
  ComplianceView view;
  auto bytes = ReadFile(state.LastCheckInPath());
  v1::CheckInResponse last;
  if (!bytes.ok() || !last.ParseFromString(*bytes)) return view;
  std::string full = v1::ComplianceState_Name(last.compliance_state());
  absl::string_view name = full;
  absl::ConsumePrefix(&name, "COMPLIANCE_STATE_");
  view.state = absl::AsciiStrToLower(name);
  if (last.has_grace_deadline()) {
    view.deadline = When(FromProtoTime(last.grace_deadline()));
  }
  for (const auto& r : last.verdict().results()) {
    if (r.state() != v1::CHECK_STATE_FAIL &&
        r.state() != v1::CHECK_STATE_ERROR) {
      continue;
    }
    view.failing.push_back(absl::StrCat(
        r.title(), r.has_excepted_until() ? " (exception granted)" : "",
        r.remediation().empty() ? ""
                                : absl::StrCat(" - fix: ", r.remediation())));
  }
  return view;
}

std::string StatusReport(const AgentState& state, absl::Time now, bool json,
                         TunnelController* tunnel) {
  auto record = state.LoadRecord();
  if (!record.ok()) {
    if (json) {
      return JsonObject()
                 .Add("enrolled", false)
                 .Add("state_dir", state.dir())
                 .Add("problem", record.status().message())
                 .Build() +
             "\n";
    }
    return absl::StrCat("Enrolled:      no\nState dir:     ", state.dir(), "\n",
                        record.status().message(), "\n");
  }
  std::string cert_expiry = "unknown";
  std::string cert_problem;
  auto identity = state.LoadIdentity();
  if (identity.ok()) {
    auto cert = crypto::ParseCertificate(identity->cert_pem);
    if (cert.ok()) {
      cert_expiry = When(cert->not_after);
      if (cert->not_after <= now) cert_problem = "certificate has expired";
    }
  } else {
    cert_problem = std::string(identity.status().message());
  }
  ComplianceView compliance = LoadCompliance(state);
  VpnView vpn = LoadVpnView(state, tunnel);
  if (json) {
    JsonObject o;
    o.Add("enrolled", true)
        .Add("state_dir", state.dir())
        .Add("server", record->server_address)
        .Add("device_id", record->device_id)
        .Add("group", record->group)
        .Add("ownership", record->ownership)
        .Add("enrolled_at", When(record->enrolled_at))
        .Add("certificate_expires_at", cert_expiry)
        .Add("last_checkin_at", When(record->last_checkin_at))
        .Add("last_attempt_at", When(record->last_attempt_at))
        .Add("last_checkin_result", record->last_checkin_result)
        .Add("next_sequence", static_cast<int64_t>(record->next_sequence))
        .Add("compliance_state", compliance.state)
        .Add("grace_deadline", compliance.deadline)
        .Add("failing_checks", absl::StrJoin(compliance.failing, "\n"));
    AddVpnJson(vpn, o);
    if (!cert_problem.empty()) o.Add("problem", cert_problem);
    return o.Build() + "\n";
  }
  std::string out = absl::StrCat(
      "Enrolled:      yes (", record->ownership, " device, group ",
      record->group, ")\n", "Server:        ", record->server_address, "\n",
      "Device id:     ", record->device_id, "\n",
      "Enrolled at:   ", When(record->enrolled_at), "\n",
      "Certificate:   expires ", cert_expiry, "\n",
      "Last check-in: ", When(record->last_checkin_at), "\n",
      "Last attempt:  ", When(record->last_attempt_at), "\n",
      "Last result:   ", record->last_checkin_result, "\n");
  if (!cert_problem.empty())
    absl::StrAppend(&out, "Problem:       ", cert_problem, "\n");
  absl::StrAppend(&out, RenderVpnView(vpn));
  return out;
}

}  // namespace trellis::agent
