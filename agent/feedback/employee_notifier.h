// Tells the employee when the device's compliance state or VPN access
// changes, once per change: a desktop notification where one can be shown
// (notify-send), otherwise the system log (logger). The message names what
// fails, how to fix it and the deadline, or why VPN access changed.
#ifndef TRELLIS_AGENT_FEEDBACK_EMPLOYEE_NOTIFIER_H_
#define TRELLIS_AGENT_FEEDBACK_EMPLOYEE_NOTIFIER_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/exec/command_runner.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {

// The text for a state; empty when there is nothing to tell (unevaluated).
std::string ComplianceMessage(const v1::CheckInResponse& response);

// Where the message went: "desktop", "syslog" or "log".
absl::StatusOr<std::string> Notify(CommandRunner& runner,
                                   const std::string& message);

// Notifies when `response`'s state differs from `previous_state` (a
// v1::ComplianceState number). Returns true when it notified.
bool NotifyOnChange(CommandRunner& runner, int previous_state,
                    const v1::CheckInResponse& response);

// The text for a change of VPN access from `previous_access` (a
// v1::VpnAccess number) to `assignment`'s; empty when there is nothing to
// tell: no change, or the first assignment this device has heard of.
std::string VpnAccessMessage(int previous_access,
                             const v1::VpnAssignment& assignment);

// One notification for everything that changed with this check-in
// (compliance state, VPN access). Returns true when it notified.
bool NotifyCheckInChanges(CommandRunner& runner, int previous_state,
                          int previous_access,
                          const v1::CheckInResponse& response);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FEEDBACK_EMPLOYEE_NOTIFIER_H_
