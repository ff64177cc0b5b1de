// The VPN part of `trellis-agent status`: the server's assignment from the
// last check-in, what the agent last did with the tunnel, and what the
// interface looks like right now.
#ifndef TRELLIS_AGENT_CLI_VPN_STATUS_VIEW_H_
#define TRELLIS_AGENT_CLI_VPN_STATUS_VIEW_H_

#include <string>

#include "agent/state/agent_state.h"
#include "agent/vpn/tunnel_controller.h"
#include "common/util/json.h"

namespace trellis::agent {

struct VpnView {
  // False when the last check-in carried no VPN assignment (the agent runs
  // with --no-vpn, or has not checked in since).
  bool assigned = false;
  std::string access = "none";  // full | quarantine | none | unknown
  std::string reason;
  std::string tunnel_address;
  std::string profile;  // "id (title, always-on)"
  std::string tunnel;   // wanted state: "up" / "down" / "" (not applied yet)
  std::string plan_reason;
  std::string trusted_network;
  std::string trusted_detail;
  std::string interface;  // live: "up", "down", "absent", "unknown: why"
  std::string last_handshake;
  std::string peer_endpoint;
  std::string problem;
  std::string notes;
};

// `tunnel` (may be null) is observed for the live interface state.
VpnView LoadVpnView(const AgentState& state, TunnelController* tunnel);

std::string RenderVpnView(const VpnView& view);
void AddVpnJson(const VpnView& view, JsonObject& out);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_VPN_STATUS_VIEW_H_
