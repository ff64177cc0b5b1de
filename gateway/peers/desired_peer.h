// A peer the server allows, checked and in canonical form. Everything past
// this point (table, reconciler, firewall) can trust its contents: the key
// is a valid WireGuard key and every address parses.
#ifndef TRELLIS_GATEWAY_PEERS_DESIRED_PEER_H_
#define TRELLIS_GATEWAY_PEERS_DESIRED_PEER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "trellis/v1/common.pb.h"
#include "trellis/v1/gateway_service.pb.h"

namespace trellis::gateway {

struct DesiredPeer {
  std::string public_key;
  std::string device_id;
  v1::VpnAccess access = v1::VPN_ACCESS_FULL;  // FULL or QUARANTINE
  // Canonical CIDRs (see net::ParseHostOrNetwork), sorted, no duplicates.
  std::vector<std::string> allowed_ips;
  // QUARANTINE only; empty otherwise. Canonical, sorted, no duplicates.
  std::vector<std::string> permitted_destinations;

  bool quarantined() const { return access == v1::VPN_ACCESS_QUARANTINE; }
  bool operator==(const DesiredPeer& o) const {
    return public_key == o.public_key && device_id == o.device_id &&
           access == o.access && allowed_ips == o.allowed_ips &&
           permitted_destinations == o.permitted_destinations;
  }
  bool operator!=(const DesiredPeer& o) const { return !(*this == o); }
};

// Keyed by public key.
using PeerSet = std::map<std::string, DesiredPeer>;

// True when `peer` asks for a WireGuard peer at all (FULL or QUARANTINE);
// NONE and unset mean "remove".
bool GrantsAccess(const v1::GatewayPeer& peer);

// Checks and canonicalises a peer that GrantsAccess(). InvalidArgument
// naming the peer (device id and key) and the bad field.
absl::StatusOr<DesiredPeer> ToDesiredPeer(const v1::GatewayPeer& peer);

// `text` from the server made safe for one log line: printable ASCII only
// (anything else becomes '?'), at most 80 characters.
std::string LogSafe(const std::string& text);

// "device D, key K" for logs, with whatever of the two is known.
std::string PeerLabel(const std::string& device_id,
                      const std::string& public_key);

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_PEERS_DESIRED_PEER_H_
