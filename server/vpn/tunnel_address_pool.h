// The block tunnel addresses come from (--vpn-pool). The network address,
// the first host (by convention the gateway's own tunnel address) and the
// broadcast address are never given to a device.
#ifndef TRELLIS_SERVER_VPN_TUNNEL_ADDRESS_POOL_H_
#define TRELLIS_SERVER_VPN_TUNNEL_ADDRESS_POOL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/net/ip_address.h"

namespace trellis::server {

struct TunnelAddressPool {
  net::Ipv4Block block;
  uint32_t first_assignable = 0;
  uint32_t last_assignable = 0;

  uint64_t size() const { return last_assignable - first_assignable + 1; }
  // "10.200.0.7/32": the form agents and gateways use.
  static std::string HostRoute(uint32_t address);
};

// IPv4 blocks of /8 to /29.
absl::StatusOr<TunnelAddressPool> MakeTunnelAddressPool(absl::string_view cidr);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_VPN_TUNNEL_ADDRESS_POOL_H_
