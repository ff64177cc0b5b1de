// The gateway's only handle on WireGuard: read the current peers, apply a
// batch of changes. The watcher and reconciler are written against this, so
// they run unchanged on a real interface (WgCommandInterface) or in memory
// (FakeWireGuardInterface).
#ifndef TRELLIS_GATEWAY_WIREGUARD_WIREGUARD_INTERFACE_H_
#define TRELLIS_GATEWAY_WIREGUARD_WIREGUARD_INTERFACE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/wireguard/wg_dump.h"

namespace trellis::gateway {

struct PeerOp {
  enum class Kind { kSet, kRemove };
  Kind kind = Kind::kSet;
  std::string public_key;
  // kSet: the peer's complete allowed-ips (they replace the old ones; the
  // peer is created when missing). Ignored for kRemove.
  std::vector<std::string> allowed_ips;

  static PeerOp Set(std::string key, std::vector<std::string> ips) {
    return {Kind::kSet, std::move(key), std::move(ips)};
  }
  static PeerOp Remove(std::string key) {
    return {Kind::kRemove, std::move(key), {}};
  }
  bool operator==(const PeerOp& o) const {
    return kind == o.kind && public_key == o.public_key &&
           allowed_ips == o.allowed_ips;
  }
};

class WireGuardInterface {
 public:
  virtual ~WireGuardInterface() = default;

  virtual absl::StatusOr<std::vector<wireguard::WgPeerState>> ListPeers() = 0;

  // Applies `ops` in order. Removing a peer that is not there is not an
  // error. On error some ops may have been applied; the caller recovers by
  // reconciling against ListPeers().
  virtual absl::Status Apply(const std::vector<PeerOp>& ops) = 0;
};

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_WIREGUARD_WIREGUARD_INTERFACE_H_
