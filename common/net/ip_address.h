// IP addresses, CIDR blocks and host:port endpoints as admins write them in
// policy files and flags. Parsing only; no name resolution.
#ifndef TRELLIS_COMMON_NET_IP_ADDRESS_H_
#define TRELLIS_COMMON_NET_IP_ADDRESS_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::net {

// Dotted-quad IPv4, as a host-order integer.
absl::StatusOr<uint32_t> ParseIpv4(absl::string_view text);
std::string FormatIpv4(uint32_t address);

// An IPv4 block "a.b.c.d/n".
struct Ipv4Block {
  uint32_t network = 0;
  int prefix = 0;
  uint32_t first() const { return network; }
  uint32_t last() const {
    return prefix == 0 ? 0xffffffffu : network | (0xffffffffu >> prefix);
  }
};
// InvalidArgument unless `text` is a.b.c.d/n with no host bits set.
absl::StatusOr<Ipv4Block> ParseIpv4Block(absl::string_view text);

// IPv4 or IPv6 address.
absl::Status ValidateIpAddress(absl::string_view text);
// IPv4 or IPv6 CIDR, prefix in range, no host bits set ("10.0.0.1/8" is
// refused with the block it probably means).
absl::Status ValidateCidr(absl::string_view text);
// An IPv4 or IPv6 address with a prefix length, in binary form.
struct Cidr {
  enum class Family { kIpv4, kIpv6 };
  Family family = Family::kIpv4;
  // Network byte order; only the first 4 bytes are used for IPv4.
  std::array<uint8_t, 16> address{};
  int prefix_length = 0;

  bool is_ipv4() const { return family == Family::kIpv4; }
  bool is_ipv6() const { return family == Family::kIpv6; }
  bool IsDefaultRoute() const { return prefix_length == 0; }
  // The address as inet_ntop prints it: "fd00::1", never "FD00:0::1".
  std::string AddressText() const;
  // "10.200.0.7/32", "fd00::/64": the canonical text the kernel and
  // `wg show` print.
  std::string ToString() const;
  // True when every address of `other` is inside this prefix.
  bool Contains(const Cidr& other) const;
};

// "ADDRESS/PREFIX" with the prefix required and the address kept as written,
// host bits included ("10.200.0.7/24" is an interface address on a /24).
// InvalidArgument quoting the text otherwise.
absl::StatusOr<Cidr> ParseCidr(absl::string_view text);
// As ParseCidr, with the host bits cleared ("10.1.2.3/16" is 10.1.0.0/16):
// the network a route or WireGuard allowed-ips entry covers.
absl::StatusOr<Cidr> ParseNetwork(absl::string_view text);
// As ParseNetwork, and a bare address is the single host (/32 or /128), so
// "10.200.0.7", "10.200.0.7/32" and `wg show`'s output compare equal.
absl::StatusOr<Cidr> ParseHostOrNetwork(absl::string_view text);

// "host:port" where host is IPv4, [IPv6] or a DNS name, port 1-65535 as
// bare digits.
struct Endpoint {
  std::string host;  // a name, IPv4, or IPv6 without the brackets
  int port = 0;
  bool host_is_ip = false;
};
absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view host_port);
// ParseEndpoint's verdict alone.
absl::Status ValidateEndpoint(absl::string_view host_port);
// A DNS name: labels of 1-63 letters, digits, '-' and '_', at most 253
// bytes, the last not all digits (so 999.1.1.1 is neither a name nor an
// address).
bool IsDnsName(absl::string_view name);

}  // namespace trellis::net

#endif  // TRELLIS_COMMON_NET_IP_ADDRESS_H_
