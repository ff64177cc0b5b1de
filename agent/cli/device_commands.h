// `trellis-agent check` and `show-data`: they look at this device now, as
// whoever runs them may (see status_file.h), and print for the employee.
#ifndef TRELLIS_AGENT_CLI_DEVICE_COMMANDS_H_
#define TRELLIS_AGENT_CLI_DEVICE_COMMANDS_H_

#include <string>

#include "absl/time/time.h"
#include "agent/cli/employee_status.h"
#include "agent/facts/device_probe.h"
#include "agent/state/agent_state.h"

namespace trellis::agent {

struct CommandOutput {
  std::string out;  // for stdout
  std::string err;  // for stderr
  int exit_code = 0;
};

// Evaluates this device against the held bundle, with the exceptions of
// the server's last verdict. Exit 0 meets policy, 1 does not, 2 cannot
// evaluate (not enrolled, no bundle, needs permission).
CommandOutput RunCheck(const AgentState& state, DeviceProbe& probe, bool json,
                       absl::Time now, const FileReader& read);

struct ShowDataOptions {
  std::string ownership;  // "", "corporate" or "personal"
  bool json = false;
  bool as_normal_user = false;
};

// What this device sends (or, before enrolment, would send).
CommandOutput RunShowData(const AgentState& state, DeviceProbe& probe,
                          const ShowDataOptions& options,
                          const FileReader& read);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_DEVICE_COMMANDS_H_
