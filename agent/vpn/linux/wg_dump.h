// `wg show IFACE dump`: tab-separated, the first line describes the
// interface (private-key public-key listen-port fwmark), every further line
// a peer (public-key preshared-key endpoint allowed-ips latest-handshake
// transfer-rx transfer-tx persistent-keepalive). "(none)" and "off" stand
// for absent values.
#ifndef TRELLIS_AGENT_VPN_LINUX_WG_DUMP_H_
#define TRELLIS_AGENT_VPN_LINUX_WG_DUMP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::agent::linux_vpn {

struct WgInterfaceDump {
  std::string private_key;  // empty for "(none)"
  std::string public_key;   // empty for "(none)"
  int listen_port = 0;
  uint32_t fwmark = 0;  // 0 for "off"
};

struct WgPeerDump {
  std::string public_key;
  bool has_preshared_key = false;
  std::string endpoint;  // empty for "(none)"
  std::vector<std::string> allowed_ips;
  int64_t latest_handshake = 0;  // Unix seconds; 0: never
  uint64_t transfer_rx = 0;
  uint64_t transfer_tx = 0;
  int persistent_keepalive = 0;  // 0 for "off"
};

struct WgDump {
  WgInterfaceDump interface;
  std::vector<WgPeerDump> peers;
};

// InvalidArgument naming the line and field for anything malformed.
absl::StatusOr<WgDump> ParseWgDump(absl::string_view text);

}  // namespace trellis::agent::linux_vpn

#endif  // TRELLIS_AGENT_VPN_LINUX_WG_DUMP_H_
