#include "server/compliance/compliance_decision.h"

#include "absl/strings/str_cat.h"
#include "common/util/proto_time.h"
#include "common/util/time_format.h"

namespace trellis::server {

const char* ComplianceStateWord(v1::ComplianceState state) {
  switch (state) {
    case v1::COMPLIANCE_STATE_COMPLIANT:
      return "compliant";
    case v1::COMPLIANCE_STATE_GRACE:
      return "grace";
    case v1::COMPLIANCE_STATE_NONCOMPLIANT:
      return "noncompliant";
    case v1::COMPLIANCE_STATE_STALE:
      return "stale";
    case v1::COMPLIANCE_STATE_REVOKED:
      return "revoked";
    case v1::COMPLIANCE_STATE_RETIRED:
      return "retired";
    default:
      return "unevaluated";
  }
}

ComplianceDecision DecideCompliance(const v1::Verdict& verdict,
                                    absl::Time now) {
  ComplianceDecision d;
  d.state = v1::COMPLIANCE_STATE_COMPLIANT;
  d.cause = "every enforced check passes";
  const v1::CheckResult* overdue = nullptr;
  const v1::CheckResult* earliest = nullptr;
  absl::Time earliest_deadline = absl::InfiniteFuture();
  for (const v1::CheckResult& r : verdict.results()) {
    bool enforced = r.enforcement() == v1::ENFORCEMENT_RESTRICT ||
                    r.enforcement() == v1::ENFORCEMENT_QUARANTINE;
    bool failing =
        r.state() == v1::CHECK_STATE_FAIL || r.state() == v1::CHECK_STATE_ERROR;
    bool excepted =
        r.has_excepted_until() && FromProtoTime(r.excepted_until()) > now;
    if (!enforced || !failing || excepted) continue;
    if (d.enforcement != v1::ENFORCEMENT_RESTRICT)
      d.enforcement = r.enforcement();
    absl::Time deadline =
        FromProtoTime(r.since()) + absl::Seconds(r.grace_period_seconds());
    if (deadline <= now) {
      if (overdue == nullptr) overdue = &r;
      continue;
    }
    if (deadline < earliest_deadline) {
      earliest_deadline = deadline;
      earliest = &r;
    }
  }
  auto name = [](const v1::CheckResult& r) {
    return absl::StrCat(
        r.policy_id(), "/", r.check_id(),
        r.state() == v1::CHECK_STATE_ERROR ? " cannot be checked" : " fails");
  };
  if (overdue != nullptr) {
    d.state = v1::COMPLIANCE_STATE_NONCOMPLIANT;
    d.cause = absl::StrCat(name(*overdue), " and its grace period has ended");
  } else if (earliest != nullptr) {
    d.state = v1::COMPLIANCE_STATE_GRACE;
    d.grace_deadline = earliest_deadline;
    d.cause = absl::StrCat(name(*earliest), "; access is kept until ",
                           Rfc3339(earliest_deadline));
  }
  return d;
}

}  // namespace trellis::server
