// This build's way of applying the tunnel, chosen at compile time like the
// fact collectors: Linux drives a wireguard-go interface; macOS, Windows
// and Android write the WireGuard app's profile file.
#ifndef TRELLIS_AGENT_VPN_PLATFORM_TUNNEL_H_
#define TRELLIS_AGENT_VPN_PLATFORM_TUNNEL_H_

#include <memory>
#include <string>

#include "agent/state/agent_state.h"
#include "agent/vpn/tunnel_controller.h"
#include "common/exec/command_runner.h"

namespace trellis::agent {

struct PlatformTunnelConfig {
  const AgentState* state = nullptr;
  CommandRunner* runner = nullptr;
  std::string interface_name = "trellis0";
  // May be empty when the controller is only used to Observe().
  std::string private_key;
  std::string public_key;
  std::string device_id;
};

std::unique_ptr<TunnelController> MakePlatformTunnelController(
    const PlatformTunnelConfig& config);

// Where the platform controller drives the tunnel itself (Linux), a writer
// that keeps a wg-quick file beside it for reference; nullptr elsewhere.
std::unique_ptr<TunnelController> MakeReferenceProfileWriter(
    const PlatformTunnelConfig& config);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_PLATFORM_TUNNEL_H_
