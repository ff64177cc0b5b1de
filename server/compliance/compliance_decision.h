// The compliance state machine's rule for one verdict: enforced checks
// (restrict, quarantine) that fail or error put the device in grace until
// the earliest grace deadline, then make it noncompliant. Warn- and
// report-level policies never cost access, nor does a failure covered by an
// admin exception still in force.
#ifndef TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_DECISION_H_
#define TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_DECISION_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "trellis/v1/common.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::server {

struct ComplianceDecision {
  v1::ComplianceState state = v1::COMPLIANCE_STATE_UNSPECIFIED;
  std::optional<absl::Time> grace_deadline;
  std::string cause;
  // In grace or noncompliant: the strongest enforcement among the checks
  // that put the device there (restrict beats quarantine); it decides VPN
  // access once the device is noncompliant.
  v1::Enforcement enforcement = v1::ENFORCEMENT_UNSPECIFIED;
};

// `verdict` results must carry `since` (when each check entered its state).
ComplianceDecision DecideCompliance(const v1::Verdict& verdict, absl::Time now);

// "compliant", "grace", ...
const char* ComplianceStateWord(v1::ComplianceState state);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_DECISION_H_
