// The employee's view of this device for `status`, `check` and `show-data`,
// whoever runs them.
//
// The state directory holds keys, so its private files are 0600 and only
// root may read them. After every check-in the agent (root) writes
// <state>/status.json (0644) with only what the employee may see (see
// EmployeeStatus), and makes the directory 0711: a normal user can open
// that file by name but can neither list the directory nor read its
// private files. Readers use the private files when they can, then the
// status file, and otherwise say that they need permission, never that
// the device is not enrolled.
#ifndef TRELLIS_AGENT_CLI_STATUS_FILE_H_
#define TRELLIS_AGENT_CLI_STATUS_FILE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "agent/cli/employee_status.h"
#include "agent/state/agent_state.h"

namespace trellis::agent {

std::string StatusFilePath(const AgentState& state);

// The state directory `status`, `check` and `show-data` read: `flag` when
// given; else DefaultStateDir() for root or for a user who runs an agent of
// their own (`user_dir` holds agent.state); else the device agent's
// /var/lib/trellis-agent, which a normal user reads through its status file.
std::string StateDirForReading(const std::string& flag, bool is_root,
                               const std::string& user_dir);

// Builds the employee status from the private state files and replaces the
// status file with it atomically (written_at = `now`).
absl::Status WriteStatusFile(const AgentState& state, absl::Time now);

struct DeviceView {
  enum class Source {
    kPrivateState,     // read from the private files (root)
    kStatusFile,       // read from status.json (a normal user)
    kNotEnrolled,      // the state directory says so
    kNeedsPermission,  // this user may read neither
    kUnreadable,       // the files are there but damaged
  };
  Source source = Source::kNotEnrolled;
  EmployeeStatus status;  // for kPrivateState and kStatusFile
  // For kPrivateState: the full record (sequence numbers, ...).
  std::optional<AgentRecord> record;
  // Otherwise: what to tell the employee.
  std::string problem;

  bool enrolled() const {
    return source == Source::kPrivateState || source == Source::kStatusFile;
  }
};

DeviceView LoadDeviceView(const AgentState& state, const FileReader& read);

// A read of `path` that failed for lack of permission, as the employee
// should see it: "cannot read PATH: needs permission (run as root or ask
// IT)". Other errors are returned as they are.
absl::Status ExplainReadError(const absl::Status& error,
                              const std::string& path);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_STATUS_FILE_H_
