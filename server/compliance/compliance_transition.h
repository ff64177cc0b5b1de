// Moves a device to a compliance state inside a store write, recording the
// transition (time and cause) when the state actually changes. The caller
// writes the device row.
#ifndef TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_TRANSITION_H_
#define TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_TRANSITION_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/compliance/compliance_decision.h"
#include "server/store/store.h"

namespace trellis::server {

absl::Status MoveCompliance(StoreWriter& writer, DeviceRecord& device,
                            v1::ComplianceState to,
                            std::optional<absl::Time> grace_deadline,
                            const std::string& cause, absl::Time now);

// The state machine's step for a verdict (a fresh one from a check-in, or
// one rebuilt from stored check states): marks the results the device's
// exceptions in force cover, decides, and moves the device, keeping the
// enforcement that decides its VPN access. `why`, when set, is added to the
// transition's cause. The caller writes the device row.
absl::StatusOr<ComplianceDecision> DecideAndMove(StoreWriter& writer,
                                                 DeviceRecord& device,
                                                 v1::Verdict* verdict,
                                                 const std::string& why,
                                                 absl::Time now);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_TRANSITION_H_
