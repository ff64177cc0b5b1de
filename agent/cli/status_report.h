// `trellis-agent status`: what an employee or help desk needs at a glance.
#ifndef TRELLIS_AGENT_CLI_STATUS_REPORT_H_
#define TRELLIS_AGENT_CLI_STATUS_REPORT_H_

#include <string>

#include "agent/state/agent_state.h"
#include "agent/vpn/tunnel_controller.h"

namespace trellis::agent {

// Human text, or JSON with `json`. `tunnel` (may be null) is observed for
// the VPN interface's live state.
std::string StatusReport(const AgentState& state, absl::Time now, bool json,
                         TunnelController* tunnel = nullptr);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_STATUS_REPORT_H_
