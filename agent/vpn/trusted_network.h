// Is the device on a trusted (council) network? Either proof is enough: a
// configured DNS search domain the profile lists, or a TLS beacon that
// answers with its pinned certificate. The matching is pure; reading
// resolv.conf and probing go through SystemSource and BeaconProber.
#ifndef TRELLIS_AGENT_VPN_TRUSTED_NETWORK_H_
#define TRELLIS_AGENT_VPN_TRUSTED_NETWORK_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "agent/facts/system_source.h"
#include "agent/vpn/beacon_prober.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::agent {

struct TrustedNetworkResult {
  // False when the profile names no trusted networks: nothing to decide.
  bool evaluated = false;
  bool trusted = false;
  // When trusted, what proved it: "corp.example (DNS search domain)" or
  // "beacon.corp.example:443 (TLS beacon)". Otherwise what was tried.
  std::string detail;
};

struct TrustedNetworkOptions {
  absl::Duration beacon_timeout = absl::Seconds(2);
  // Beacons are skipped while the agent's own tunnel is up: a beacon
  // reached through the tunnel proves nothing about the local network.
  bool probe_beacons = true;
  // Search domains that do not count (those the tunnel itself configures).
  std::vector<std::string> ignored_domains;
};

// The first of `configured` (as ParseResolvConfSearchDomains returns them)
// that `trusted` lists, compared case-insensitively as whole domains (a
// trailing dot is ignored; "corp.example" does not match
// "x.corp.example").
std::optional<std::string> MatchSearchDomain(
    const std::vector<std::string>& configured,
    const std::vector<std::string>& trusted,
    const std::vector<std::string>& ignored = {});

// Reads /etc/resolv.conf through `system`, then probes beacons in order
// until one proves the network (stopping at the first proof).
TrustedNetworkResult DetectTrustedNetwork(const v1::TrustedNetworks& networks,
                                          SystemSource& system,
                                          BeaconProber& prober,
                                          const TrustedNetworkOptions& options);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_TRUSTED_NETWORK_H_
