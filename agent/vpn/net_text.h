// Checks and canonical forms for the network text a VPN profile carries:
// CIDRs, IP addresses, host:port endpoints and DNS names. Everything the
// agent passes to ip(8), wg(8) or a profile file goes through these first,
// so a malformed profile is refused instead of reaching a command line.
#ifndef TRELLIS_AGENT_VPN_NET_TEXT_H_
#define TRELLIS_AGENT_VPN_NET_TEXT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::agent {

struct Cidr {
  bool ipv6 = false;
  std::string address;  // as inet_ntop prints it
  int prefix_length = 0;

  std::string ToString() const;
  bool IsDefaultRoute() const { return prefix_length == 0; }
};

// "10.1.0.0/16" or "fd00::/8". The prefix length is required.
absl::StatusOr<Cidr> ParseCidr(absl::string_view text);

// The network of a CIDR: host bits cleared ("10.1.2.3/16" -> "10.1.0.0/16"),
// the form ip(8) accepts for routes and prints back.
absl::StatusOr<Cidr> ParseNetwork(absl::string_view text);

// An IPv4 or IPv6 address without prefix.
bool IsIpAddress(absl::string_view text);

// A DNS name: labels of letters, digits and '-', dot separated, at most 253
// characters; one trailing dot allowed.
bool IsDnsName(absl::string_view text);

struct Endpoint {
  std::string host;  // name, IPv4, or IPv6 without brackets
  int port = 0;
  bool host_is_ip = false;
};

// "vpn.example:51820", "192.0.2.1:51820" or "[2001:db8::1]:51820".
absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view text);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_NET_TEXT_H_
