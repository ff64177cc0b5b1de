// The DNS search domains a resolv.conf configures, for trusted-network
// detection.
#ifndef TRELLIS_AGENT_VPN_RESOLV_CONF_H_
#define TRELLIS_AGENT_VPN_RESOLV_CONF_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace trellis::agent {

// Domains from "search" and "domain" lines, lower case, without a trailing
// dot, first occurrence first. Comments ('#' or ';') are ignored. The
// resolver itself uses only the last of those lines; a trusted-network
// check is better served by all of them, since DHCP clients and
// systemd-resolved may write either.
std::vector<std::string> ParseResolvConfSearchDomains(absl::string_view text);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_RESOLV_CONF_H_
