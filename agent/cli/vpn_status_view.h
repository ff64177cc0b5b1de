// The VPN part of `trellis-agent status`: the server's assignment from the
// last check-in, what the agent last did with the tunnel, and what the
// interface looks like right now.
#ifndef TRELLIS_AGENT_CLI_VPN_STATUS_VIEW_H_
#define TRELLIS_AGENT_CLI_VPN_STATUS_VIEW_H_

#include <string>

#include "agent/vpn/tunnel_controller.h"
#include "agent/vpn/vpn_status_file.h"
#include "common/util/json.h"
#include "trellis/v1/device_service.pb.h"

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

// What the server assigned at the last check-in (`last`, may be null) and
// what the agent did with it (`record`, may be null); no live state.
VpnView VpnViewFrom(const v1::CheckInResponse* last,
                    const VpnStatusRecord* record);

// Adds the interface's live state as `tunnel` (may be null) sees it now.
void ObserveTunnel(TunnelController* tunnel, VpnView& view);

std::string RenderVpnView(const VpnView& view);
void AddVpnJson(const VpnView& view, JsonObject& out);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_VPN_STATUS_VIEW_H_
