// Turns "what the server allows" into WireGuard operations. Pure: no I/O,
// so every rule is tested directly.
#ifndef TRELLIS_GATEWAY_PEERS_RECONCILER_H_
#define TRELLIS_GATEWAY_PEERS_RECONCILER_H_

#include <string>
#include <vector>

#include "common/wireguard/wg_dump.h"
#include "gateway/peers/desired_peer.h"
#include "gateway/peers/peer_table.h"
#include "gateway/wireguard/wireguard_interface.h"

namespace trellis::gateway {

// One operation with what it means, for the log.
struct PlannedChange {
  enum class Verb { kAdd, kUpdate, kRemove };
  Verb verb = Verb::kAdd;
  PeerOp op;
  // Empty for a peer the server never named (e.g. one added by hand).
  std::string device_id;
};

// The interface's peers made equal to `desired`: every peer not in it is
// removed (whoever added it), missing ones are added, wrong allowed-ips are
// fixed. Removals come first, then additions and updates, each in key
// order.
std::vector<PlannedChange> ReconcileAll(
    const PeerSet& desired, const std::vector<wireguard::WgPeerState>& actual);

// The operations for a delta, without reading the interface: removals
// first, then additions and updates. A change of access or permitted
// destinations alone needs no WireGuard operation (quarantine is enforced
// by the firewall).
std::vector<PlannedChange> PlanChanges(const std::vector<PeerChange>& changes);

// "added peer K (device D): allowed-ips 10.200.0.7/32" and the like.
std::string DescribeChange(const PlannedChange& change);

// Splits `plan` into its removals and its other operations.
std::vector<PeerOp> RemovalOps(const std::vector<PlannedChange>& plan);
std::vector<PeerOp> SetOps(const std::vector<PlannedChange>& plan);

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_PEERS_RECONCILER_H_
