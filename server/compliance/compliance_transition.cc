#include "server/compliance/compliance_transition.h"

#include "absl/strings/str_cat.h"
#include "server/compliance/exception_admin.h"

namespace trellis::server {

absl::Status MoveCompliance(StoreWriter& writer, DeviceRecord& device,
                            v1::ComplianceState to,
                            std::optional<absl::Time> grace_deadline,
                            const std::string& cause, absl::Time now) {
  device.grace_deadline = grace_deadline;
  if (device.compliance_state == to) return absl::OkStatus();
  TransitionRecord t;
  t.device_id = device.device_id;
  t.at = now;
  t.from_state = device.compliance_state;
  t.to_state = to;
  t.cause = cause.substr(0, 1024);
  device.compliance_state = to;
  return writer.AppendTransition(t);
}

absl::StatusOr<ComplianceDecision> DecideAndMove(StoreWriter& w,
                                                 DeviceRecord& d,
                                                 v1::Verdict* verdict,
                                                 const std::string& why,
                                                 absl::Time now) {
  auto exceptions = w.ListExceptions(d.device_id, now);
  if (!exceptions.ok()) return exceptions.status();
  ApplyExceptions(*exceptions, now, verdict);
  ComplianceDecision decision = DecideCompliance(*verdict, now);
  std::string cause = why.empty()
                          ? decision.cause
                          : absl::StrCat(decision.cause, " (", why, ")");
  absl::Status s =
      MoveCompliance(w, d, decision.state, decision.grace_deadline, cause, now);
  if (!s.ok()) return s;
  d.vpn_enforcement = decision.enforcement;
  return decision;
}

}  // namespace trellis::server
