// Parses `wg show IFACE dump`: one tab-separated line for the interface
//   private-key public-key listen-port fwmark
// then one per peer
//   public-key preshared-key endpoint allowed-ips latest-handshake
//   transfer-rx transfer-tx persistent-keepalive
// with "(none)" for an absent key, endpoint or allowed-ips list and "off" for
// no fwmark or keepalive. Pure, so it is tested on recorded text.
#ifndef TRELLIS_COMMON_WIREGUARD_WG_DUMP_H_
#define TRELLIS_COMMON_WIREGUARD_WG_DUMP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::wireguard {

// The private key is checked and read past but never kept: no caller needs
// it, and a value that is not held cannot leak into a log.
struct WgInterfaceInfo {
  std::string public_key;  // empty when "(none)"
  int listen_port = 0;
  uint32_t fwmark = 0;  // 0 when "off"
};

struct WgPeerState {
  std::string public_key;
  bool has_preshared_key = false;
  std::string endpoint;                  // empty when "(none)"
  std::vector<std::string> allowed_ips;  // canonical CIDRs, in wg's order
  int64_t latest_handshake_unix = 0;     // 0: never
  uint64_t transfer_rx = 0;
  uint64_t transfer_tx = 0;
  int persistent_keepalive_seconds = 0;  // 0 when "off"
};

struct WgDump {
  WgInterfaceInfo interface;
  std::vector<WgPeerState> peers;
};

// InvalidArgument naming the 1-based line number and the field at fault.
// Keys must be WireGuard keys, allowed-ips valid CIDRs, numbers bare
// digits, ports and keepalives at most 65535, a fwmark "off" or 0xHEX.
absl::StatusOr<WgDump> ParseWgDump(absl::string_view text);

}  // namespace trellis::wireguard

#endif  // TRELLIS_COMMON_WIREGUARD_WG_DUMP_H_
