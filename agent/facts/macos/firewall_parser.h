// firewall on macOS: the Application Firewall's global state from
// `socketfilterfw --getglobalstate`.
#ifndef TRELLIS_AGENT_FACTS_MACOS_FIREWALL_PARSER_H_
#define TRELLIS_AGENT_FACTS_MACOS_FIREWALL_PARSER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::macos_facts {

// The Application Firewall's global state:
//   0  off
//   1  on: per-application filtering
//   2  on: block all incoming connections except essential services
//      (DHCP, Bonjour, IPsec)
struct AppFirewallState {
  int state = 0;
};

// Parses "Firewall is enabled. (State = 1)" and its siblings. The number
// decides; when it is missing (cut-off output) the sentence is used. Output
// that says neither is an error.
absl::StatusOr<AppFirewallState> ParseSocketFilterFwGlobalState(
    absl::string_view text);

// State 0 'accept', 1 'unknown', 2 'drop'; see the .cc for why.
std::string DefaultInboundPolicy(const AppFirewallState& state);

// One row: backend 'socketfilterfw', profile 'default'.
v1::FactTable BuildFirewallTable(const AppFirewallState& state);

}  // namespace trellis::agent::macos_facts

#endif  // TRELLIS_AGENT_FACTS_MACOS_FIREWALL_PARSER_H_
