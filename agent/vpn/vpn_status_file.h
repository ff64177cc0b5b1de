// What the running agent last did with the tunnel, kept in
// <state>/vpn/status as "key: value" lines so `trellis-agent status` (a
// separate process) can show it without probing the network itself.
#ifndef TRELLIS_AGENT_VPN_VPN_STATUS_FILE_H_
#define TRELLIS_AGENT_VPN_VPN_STATUS_FILE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/state/agent_state.h"

namespace trellis::agent {

struct VpnStatusRecord {
  std::string tunnel;  // "up" or "down": what the agent wants
  std::string reason;  // the plan's reason
  // "yes", "no", or "not configured" (the profile names no networks).
  std::string trusted_network;
  std::string trusted_detail;
  std::string controller;  // "interface trellis0"
  std::string error;       // the last apply error; empty when it worked
  std::string notes;       // what was not applied, "; " separated
  std::optional<absl::Time> updated_at;
};

std::string FormatVpnStatus(const VpnStatusRecord& record);
// Unknown keys are skipped; values are single lines.
VpnStatusRecord ParseVpnStatus(const std::string& text);

std::string VpnStatusPath(const AgentState& state);
absl::Status SaveVpnStatus(const AgentState& state,
                           const VpnStatusRecord& record);
// NotFound when the agent has not applied a tunnel yet.
absl::StatusOr<VpnStatusRecord> LoadVpnStatus(const AgentState& state);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_VPN_STATUS_FILE_H_
