// Applies WatchPeers messages to the gateway: the peer table first, then the
// WireGuard interface and the quarantine firewall.
//
//   PeerUpdate --> PeerTable --changes--> reconciler --ops--> WireGuard
//                                   \--quarantined peers--> nftables
//
// After a complete snapshot the whole interface is reconciled against
// ListPeers() (this is also how start-up removes every peer the server does
// not allow); a delta applies just the peers it names, without reading the
// interface. Removals go first, then the firewall, then additions, so a
// quarantined peer is never reachable without its restrictions and a revoked
// one loses its restrictions only after it is gone.
#ifndef TRELLIS_GATEWAY_SYNC_PEER_APPLIER_H_
#define TRELLIS_GATEWAY_SYNC_PEER_APPLIER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "gateway/access/quarantine_firewall.h"
#include "gateway/peers/peer_table.h"
#include "gateway/peers/reconciler.h"
#include "gateway/wireguard/wireguard_interface.h"
#include "trellis/v1/gateway_service.pb.h"

namespace trellis::gateway {

class PeerApplier {
 public:
  // `interface` must outlive the applier; `firewall` may be null (no
  // quarantine enforcement). Every `full_reconcile_interval` (by `clock`),
  // a heartbeat also re-reads the interface and fixes drift.
  PeerApplier(WireGuardInterface* interface, QuarantineFirewall* firewall,
              Clock* clock, absl::Duration full_reconcile_interval);

  // An error means the gateway can no longer trust its position in the
  // stream (message out of order) or the interface state (wg failed): the
  // stream position is forgotten, so the next call must start from a
  // snapshot, whose full reconcile repairs the interface. Unusable peers
  // are not errors: they are logged and left out.
  absl::Status Apply(const v1::PeerUpdate& update);

  const PeerTable& table() const { return table_; }

 private:
  absl::Status ReconcileInterface(uint64_t serial,
                                  const std::vector<PeerChange>& changes);
  absl::Status ApplyPlan(uint64_t serial,
                         const std::vector<PlannedChange>& plan,
                         const std::vector<PeerChange>& changes);
  void EnforceQuarantine(uint64_t serial);

  WireGuardInterface* interface_;
  QuarantineFirewall* firewall_;
  Clock* clock_;
  absl::Duration full_reconcile_interval_;
  PeerTable table_;
  absl::Time last_full_reconcile_ = absl::InfinitePast();
};

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_SYNC_PEER_APPLIER_H_
