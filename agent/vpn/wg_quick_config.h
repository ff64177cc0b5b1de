// The tunnel as a wg-quick style configuration, the format WireGuard for
// Windows and Android import (and what `wg-quick up` reads on Linux).
#ifndef TRELLIS_AGENT_VPN_WG_QUICK_CONFIG_H_
#define TRELLIS_AGENT_VPN_WG_QUICK_CONFIG_H_

#include <string>

#include "agent/vpn/tunnel_plan.h"

namespace trellis::agent {

// [Interface] PrivateKey, Address, DNS (servers, then search domains);
// [Peer] PublicKey, Endpoint, AllowedIPs, PersistentKeepalive. Empty
// settings are left out. `plan` must have a peer (HasPeer()).
std::string RenderWgQuickConfig(const TunnelPlan& plan,
                                const std::string& private_key);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_WG_QUICK_CONFIG_H_
