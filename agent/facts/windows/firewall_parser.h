// firewall on Windows: the Defender Firewall profiles (domain, private,
// public) as actually in force.
#ifndef TRELLIS_AGENT_FACTS_WINDOWS_FIREWALL_PARSER_H_
#define TRELLIS_AGENT_FACTS_WINDOWS_FIREWALL_PARSER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::windows_facts {

// ActiveStore is the effective policy: local settings merged with Group
// Policy. The default (PersistentStore) shows only local settings, which
// a GPO may override.
inline constexpr char kFirewallScript[] =
    "Get-NetFirewallProfile -PolicyStore ActiveStore | "
    "Select-Object Name,Enabled,DefaultInboundAction";

struct FirewallProfile {
  std::string profile;  // "domain", "private", "public"
  std::optional<bool> enabled;
  std::string default_inbound_policy;  // drop, accept or unknown
};

// Parses the profiles. Enabled is a GpoBoolean (0 False, 1 True, 2
// NotConfigured) and DefaultInboundAction an Action (0 NotConfigured, 2
// Allow, 4 Block), as numbers or names. NotConfigured means Windows'
// built-in default, which is on and blocking, so it maps to enabled and
// 'drop'. No profiles at all is an error.
absl::StatusOr<std::vector<FirewallProfile>> ParseNetFirewallProfiles(
    absl::string_view json);

// One row per profile, backend 'windows'.
v1::FactTable BuildFirewallTable(const std::vector<FirewallProfile>& profiles);

}  // namespace trellis::agent::windows_facts

#endif  // TRELLIS_AGENT_FACTS_WINDOWS_FIREWALL_PARSER_H_
