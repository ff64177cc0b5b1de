// The nftables ruleset that holds quarantined devices to their remediation
// destinations. WireGuard alone cannot do it: allowed-ips filters what a peer
// may send *from*, not where it may send *to*.
//
// One table per interface, `inet trellis_<iface>`, so the gateway never
// touches rules it did not write. Its forward and input chains (filter
// priority, policy accept: the table only ever takes access away) send every
// packet that arrives on the WireGuard interface from a quarantined peer's
// tunnel address to the `quarantine` chain, which accepts a destination in
// that peer's permitted_destinations and drops the rest. The lookups are
// sets, with source . destination concatenations, so the rule count does not
// grow with the number of quarantined peers.
#ifndef TRELLIS_GATEWAY_ACCESS_QUARANTINE_RULESET_H_
#define TRELLIS_GATEWAY_ACCESS_QUARANTINE_RULESET_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gateway/peers/desired_peer.h"

namespace trellis::gateway {

struct QuarantinedPeer {
  std::string public_key;
  std::vector<std::string> sources;       // its allowed_ips
  std::vector<std::string> destinations;  // its permitted_destinations

  bool operator==(const QuarantinedPeer& o) const {
    return public_key == o.public_key && sources == o.sources &&
           destinations == o.destinations;
  }
};

// Sorted by public key.
using QuarantineSet = std::vector<QuarantinedPeer>;

QuarantineSet QuarantinedPeers(const PeerSet& peers);

// "trellis_wg0"; characters nft would not take in a name become '_'.
std::string NftTableName(absl::string_view interface_name);

// The whole ruleset as `nft -f` input. It first creates and deletes the
// table, so loading it replaces any previous version in one transaction:
// there is never a moment without the quarantine rules.
std::string RenderQuarantineRuleset(absl::string_view interface_name,
                                    const QuarantineSet& peers);

// `nft -f` input removing the table; loading it when the table does not
// exist is not an error.
std::string RenderTableRemoval(absl::string_view interface_name);

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_ACCESS_QUARANTINE_RULESET_H_
