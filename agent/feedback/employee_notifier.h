// Tells the employee when the device's compliance state changes, once per
// change: a desktop notification where one can be shown (notify-send),
// otherwise the system log (logger). The message names what fails, how to
// fix it and the deadline.
#ifndef TRELLIS_AGENT_FEEDBACK_EMPLOYEE_NOTIFIER_H_
#define TRELLIS_AGENT_FEEDBACK_EMPLOYEE_NOTIFIER_H_

#include <string>

#include "absl/status/statusor.h"
#include "agent/facts/command_runner.h"
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

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FEEDBACK_EMPLOYEE_NOTIFIER_H_
