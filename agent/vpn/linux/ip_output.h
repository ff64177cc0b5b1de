// Pure readers for what iproute2 and resolvectl print, so the tunnel
// controller can tell what is already right and change only the rest.
#ifndef TRELLIS_AGENT_VPN_LINUX_IP_OUTPUT_H_
#define TRELLIS_AGENT_VPN_LINUX_IP_OUTPUT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace trellis::agent::linux_vpn {

// `ip link show DEV`: whether the UP flag is among the <...> flags.
bool LinkIsUp(absl::string_view ip_link_show);

// `ip -o addr show dev DEV`: the inet/inet6 addresses with prefix, except
// link-local ("scope link") ones, in canonical form.
std::vector<std::string> ParseInterfaceAddresses(absl::string_view ip_addr);

// `ip -o -4 route show dev DEV [table T]`: destinations as canonical CIDRs
// ("default" is 0.0.0.0/0, a bare address is /32). Routes the kernel made
// for an address ("proto kernel") are left out: they are not ours.
std::vector<std::string> ParseRouteDestinations(absl::string_view ip_route);

// `ip -4 rule show`: the rules without their priority, whitespace
// collapsed ("not from all fwmark 0xca6c lookup 51820").
std::vector<std::string> ParseRules(absl::string_view ip_rule);

// `resolvectl dns DEV` / `resolvectl domain DEV`:
// "Link 5 (trellis0): 10.0.0.53 10.0.0.54" -> the values after the colon.
std::vector<std::string> ParseResolvectlValues(absl::string_view output);

}  // namespace trellis::agent::linux_vpn

#endif  // TRELLIS_AGENT_VPN_LINUX_IP_OUTPUT_H_
