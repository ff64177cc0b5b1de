// vpn: the WireGuard and tun interfaces among those the interfaces
// collector sees, whether they are up, and which one is the agent's own
// tunnel (named trellis0, or trellis<anything>).
#ifndef TRELLIS_AGENT_FACTS_LINUX_VPN_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_VPN_COLLECTOR_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "agent/facts/linux/interfaces_collector.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

// True for interfaces the agent creates and manages.
bool IsTrellisTunnel(absl::string_view name);

// One row per interface of type wireguard or tun; others are left out.
v1::FactTable VpnTable(const std::vector<InterfaceInfo>& interfaces);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_VPN_COLLECTOR_H_
