// Reads policies/*.yaml: each file is a policy (v1::Policy) or, when its
// only top-level key is `vpn_profile`, a VPN profile (v1::VpnProfile). YAML
// is what admins already keep in git; the schema is
// proto/trellis/v1/policy.proto. Every problem is reported as
// "file:line:col: reason" (1-based), all of them, not just the first:
// unknown keys, wrong types, bad durations, duplicate ids, SQL that does not
// prepare against the fact schema (unknown tables or columns, writes,
// PRAGMA, ATTACH...), and malformed addresses, keys and fingerprints.
//
// A policy:
//
//   id: cyber-essentials
//   title: Cyber Essentials device controls
//   description: ...
//   applies_to: {platforms: [linux, macos, windows], ownership: [corporate],
//                groups: [staff]}
//   enforcement: restrict            # report | warn | restrict | quarantine
//   checks:
//     - id: firewall-on
//       title: Host firewall is on
//       severity: high               # low | medium | high | critical
//       query: SELECT 1 FROM firewall WHERE enabled
//       detail_query: SELECT backend, enabled FROM firewall
//       grace_period: 3d             # 90s, 15m, 12h, 14d; default 0
//       platforms: [linux]           # optional narrowing
//       remediation:
//         text: Turn the firewall on.
//         linux: Run 'sudo ufw enable'.
//
// A VPN profile (a device gets the first, in file-name order, whose
// applies_to matches it):
//
//   vpn_profile:
//     id: remote-access
//     title: Council remote access
//     applies_to: {ownership: [corporate]}     # optional, as for policies
//     gateway:
//       endpoint: vpn.council.example:51820    # host:port, [v6]:port
//       public_key: <44 base64 characters>     # `wg pubkey` output
//     routes: [10.10.0.0/16]                   # [0.0.0.0/0] = full tunnel
//     dns: {servers: [10.10.0.53], search_domains: [corp.council.example]}
//     keepalive: 25s                           # 0..3600s; default 0 (off)
//     mode: untrusted-only                     # always-on | untrusted-only
//     trusted_networks:                        # untrusted-only needs one
//       dns_search_domains: [corp.council.example]
//       beacons:
//         - address: beacon.corp.council.example:443
//           sha256: <64 hex digits, colons allowed>
//     remediation_destinations: [10.10.5.0/24] # reachable in quarantine
#ifndef TRELLIS_COMMON_POLICY_POLICY_LOADER_H_
#define TRELLIS_COMMON_POLICY_POLICY_LOADER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::policy {

// What LoadPolicySet reads at most: one file (the server takes at most a
// 1 MiB request, so a larger file could never be published), and all the
// files of a directory together. Only regular files are read.
inline constexpr size_t kMaxPolicyFileBytes = size_t{1} << 20;
inline constexpr size_t kMaxPolicyDirectoryBytes = size_t{16} << 20;

// Everything in a policies directory, each list in file-name order.
struct PolicySet {
  std::vector<v1::Policy> policies;
  std::vector<v1::VpnProfile> vpn_profiles;
};

// Parses one policy document. `file_name` only labels errors.
absl::StatusOr<v1::Policy> ParsePolicyYaml(absl::string_view yaml,
                                           absl::string_view file_name);

// Parses one VPN profile document (with its `vpn_profile:` key).
absl::StatusOr<v1::VpnProfile> ParseVpnProfileYaml(absl::string_view yaml,
                                                   absl::string_view file_name);

// Loads every *.yaml / *.yml in `path` (a file or a directory, sorted by
// name), checks policy ids and profile ids are unique across files, and
// re-checks the profiles with ValidateVpnProfiles. A directory without any
// .yaml file is an error; one with only profiles is not. Files over the
// limits above, and anything that is not a regular file, are errors naming
// the path. What loads may still be refused for publication (limits on
// counts, SQL): ValidatePublication says.
absl::StatusOr<PolicySet> LoadPolicySet(const std::string& path);

// LoadPolicySet without the VPN profiles, for callers that only evaluate
// posture. Profile files are still read, so a broken one is an error here
// too rather than something that surfaces only at publication.
absl::StatusOr<std::vector<v1::Policy>> LoadPolicies(const std::string& path);

// Platform names as written in YAML ("linux", "macos", ...).
const char* PlatformName(v1::Platform platform);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_POLICY_LOADER_H_
