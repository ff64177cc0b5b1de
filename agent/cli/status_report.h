// `trellis-agent status`: what an employee or help desk needs at a glance:
// enrolment, the server's compliance state, deadline and failing checks,
// and VPN access, for root and for a normal user alike (see status_file.h).
#ifndef TRELLIS_AGENT_CLI_STATUS_REPORT_H_
#define TRELLIS_AGENT_CLI_STATUS_REPORT_H_

#include <string>

#include "agent/cli/status_file.h"
#include "agent/state/agent_state.h"
#include "agent/vpn/tunnel_controller.h"

namespace trellis::agent {

// Human text, or JSON with `json`. `tunnel` (may be null) is observed for
// the VPN interface's live state.
std::string StatusReport(const DeviceView& view, const AgentState& state,
                         absl::Time now, bool json,
                         TunnelController* tunnel = nullptr);

// The same, reading the state as this process may.
std::string StatusReport(const AgentState& state, absl::Time now, bool json,
                         TunnelController* tunnel = nullptr);

// 0 enrolled, 3 not enrolled, 4 cannot tell (no permission, damaged).
int StatusExitCode(const DeviceView& view);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_STATUS_REPORT_H_
