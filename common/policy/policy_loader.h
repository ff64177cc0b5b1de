// Reads policies/*.yaml into v1::Policy. YAML is what admins already keep in
// git; the schema is proto/trellis/v1/policy.proto. Every problem is reported
// as "file:line:col: reason" (1-based), all of them, not just the first:
// unknown keys, wrong types, bad durations, duplicate ids, and SQL that does
// not prepare against the fact schema (unknown tables or columns, writes,
// PRAGMA, ATTACH...).
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
#ifndef TRELLIS_COMMON_POLICY_POLICY_LOADER_H_
#define TRELLIS_COMMON_POLICY_POLICY_LOADER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::policy {

// Parses one policy document. `file_name` only labels errors.
absl::StatusOr<v1::Policy> ParsePolicyYaml(absl::string_view yaml,
                                           absl::string_view file_name);

// Loads every *.yaml / *.yml in `path` (a file or a directory, sorted by
// name), and checks policy ids are unique across files.
absl::StatusOr<std::vector<v1::Policy>> LoadPolicies(const std::string& path);

// Platform names as written in YAML ("linux", "macos", ...).
const char* PlatformName(v1::Platform platform);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_POLICY_LOADER_H_
