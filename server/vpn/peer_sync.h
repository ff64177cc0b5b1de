// Keeps a device's tunnel address and gateway peer in line with its state.
// Called inside every store write that can change a device's access
// (check-in, compliance timers, revoke, retire, exception, policy publish),
// so the allow-list change commits in the same transaction as its cause and
// gets the next serial of the gateway feed.
#ifndef TRELLIS_SERVER_VPN_PEER_SYNC_H_
#define TRELLIS_SERVER_VPN_PEER_SYNC_H_

#include <functional>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "server/policy/policy_registry.h"
#include "server/store/store.h"
#include "server/vpn/tunnel_address_pool.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::server {

class PeerSync {
 public:
  // The current bundle (null when none is published); its VPN profiles
  // decide who may have a peer.
  using BundleSource = std::function<std::shared_ptr<const v1::PolicyBundle>()>;

  PeerSync(const TunnelAddressPool* pool, BundleSource bundle)
      : pool_(pool), bundle_(std::move(bundle)) {}
  // The registry's current bundle.
  static BundleSource FromRegistry(const PolicyRegistry* policies);

  // Allocates an address for an active device with a key (none yet),
  // releases it for a retired one, decides the access, and appends a peer
  // change when the gateway's view of the device differs. `device` must be
  // the row as it will be committed. Returns what to tell the agent.
  absl::StatusOr<v1::VpnAssignment> Sync(StoreWriter& writer,
                                         const DeviceRecord& device,
                                         absl::Time now) const;

  // Sync() for every device that ever sent a key (after a policy publish
  // changed profiles). Returns how many peers changed.
  absl::StatusOr<int> SyncAll(StoreWriter& writer, absl::Time now) const;

 private:
  const TunnelAddressPool* pool_;
  BundleSource bundle_;
};

// Writes the device row, then, when `peers` is set and the device has sent
// a WireGuard key, brings its address and gateway peer in line (a device
// without a key never had either). Returns the agent's assignment then.
absl::StatusOr<std::optional<v1::VpnAssignment>> SaveDeviceAndPeer(
    StoreWriter& writer, const DeviceRecord& device, const PeerSync* peers,
    absl::Time now);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_VPN_PEER_SYNC_H_
