// firewall on Linux: one row, profile 'default'. The front end wins when it
// is on (ufw), else the kernel's rules as nft or iptables show them. A
// firewall counts as enabled when an input hook chain drops by default or
// holds rules. default_inbound_policy is the weaker of the IPv4 and IPv6
// answers ("accept" < "reject" < "drop"), since a machine filtering only
// IPv4 still takes any IPv6 connection.
//
// nft and iptables need root (CAP_NET_ADMIN); a non-root agent reports
// unknown with the tool's own complaint.
#ifndef TRELLIS_AGENT_FACTS_LINUX_FIREWALL_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_FIREWALL_COLLECTOR_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

struct FirewallState {
  std::string backend;  // ufw, nftables, iptables
  bool enabled = false;
  // drop, reject or accept; NULL when the tool does not say (inactive ufw).
  std::optional<std::string> default_inbound_policy;
};

// `ufw status verbose`: "Status: active" and
// "Default: deny (incoming), allow (outgoing), ..." (deny -> drop,
// allow -> accept). Error when there is no Status line (ufw's
// "ERROR: You need to be root" goes to stdout on some versions).
absl::StatusOr<FirewallState> ParseUfwStatus(absl::string_view text);

// `nft -j list ruleset`. Input hook chains of the ip, ip6 and inet
// families count; a chain whose last rule is an unconditional drop/reject
// (firewalld ends its INPUT chain with "reject") has that as its effective
// policy. Error on malformed or truncated JSON.
absl::StatusOr<FirewallState> ParseNftRuleset(absl::string_view json);

// `iptables -S INPUT` (or ip6tables): "-P INPUT DROP" and "-A INPUT ..."
// lines; the answer for one address family.
absl::StatusOr<FirewallState> ParseIptablesInput(absl::string_view text);

// Joins the IPv4 and IPv6 answers of iptables/ip6tables: enabled if either
// filters, and the weaker default policy.
FirewallState CombineFamilies(const FirewallState& v4, const FirewallState& v6);

v1::FactTable FirewallTable(const FirewallState& state);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_FIREWALL_COLLECTOR_H_
