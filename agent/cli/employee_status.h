// What the employee may see about this device: enrolment, the server's last
// verdict (compliance state, deadline, failing checks with their fixes,
// exceptions) and VPN state. Never keys or anything else from the private
// state files. Built from those files by root, and kept as JSON in a
// world-readable status file so `status`, `check` and `show-data` work for
// a normal user too.
#ifndef TRELLIS_AGENT_CLI_EMPLOYEE_STATUS_H_
#define TRELLIS_AGENT_CLI_EMPLOYEE_STATUS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/cli/vpn_status_view.h"
#include "agent/state/agent_state.h"

namespace trellis::agent {

// Reads a whole file; PermissionDenied and NotFound are told apart (see
// ReadFile). Injected so tests can play a user who may not read a file.
using FileReader =
    std::function<absl::StatusOr<std::string>(const std::string& path)>;
FileReader RealFileReader();

// One check of the server's last verdict.
struct CheckLine {
  std::string policy_id;
  std::string check_id;
  std::string title;
  std::string state;  // "fail", "error", "pass", ...
  std::string remediation;
  std::string error;  // for "error": why it could not be checked
  std::optional<absl::Time> excepted_until;
  std::string exception_reason;
};

struct EmployeeStatus {
  std::string server;
  std::string device_id;
  std::string group;
  std::string ownership;  // corporate | personal
  std::optional<absl::Time> enrolled_at;
  // compliant | grace | noncompliant | ..., or "not evaluated yet".
  std::string compliance_state = "not evaluated yet";
  std::optional<absl::Time> grace_deadline;
  std::optional<absl::Time> last_checkin_at;
  std::optional<absl::Time> last_attempt_at;
  std::string last_checkin_result;
  // Checks that failed or could not be checked at the last check-in.
  std::vector<CheckLine> failing;
  // Every check an admin exception covers, whatever its state.
  std::vector<CheckLine> exceptions;
  // The VPN assignment and what the agent did with it (no live state).
  VpnView vpn;
  std::optional<absl::Time> written_at;
};

// From the private state files (agent.state, last-checkin.pb, vpn/status),
// read with `read`. Errors are those of reading agent.state.
absl::StatusOr<EmployeeStatus> BuildEmployeeStatus(const AgentState& state,
                                                   const FileReader& read);

std::string EmployeeStatusJson(const EmployeeStatus& status);
// Errors name what is wrong with the text.
absl::StatusOr<EmployeeStatus> ParseEmployeeStatusJson(const std::string& text);

// "excepted until 2027-01-15 08:00:00 UTC: reason", or "" when `line` has
// no exception in force at `now`.
std::string ExceptionNote(const CheckLine& line, absl::Time now);

// The exception in force at `now` for policy/check, if any.
const CheckLine* FindException(const EmployeeStatus& status,
                               const std::string& policy_id,
                               const std::string& check_id, absl::Time now);

// "2026-01-01 00:00:00 UTC", or "never".
std::string WhenText(std::optional<absl::Time> t);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_EMPLOYEE_STATUS_H_
