// Address prefixes as WireGuard and nftables see them. The server sends
// tunnel addresses and quarantine destinations as text; everything the
// gateway compares or renders goes through ParseCidr first, so
// "10.200.0.7", "10.200.0.7/32" and `wg show`'s output compare equal.
#ifndef TRELLIS_GATEWAY_NET_CIDR_H_
#define TRELLIS_GATEWAY_NET_CIDR_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::gateway {

struct Cidr {
  enum class Family { kIpv4, kIpv6 };
  Family family = Family::kIpv4;
  // Network byte order; only the first 4 bytes are used for IPv4. Bits past
  // the prefix are always zero.
  std::array<uint8_t, 16> address{};
  int prefix_length = 0;

  bool is_ipv4() const { return family == Family::kIpv4; }
  // "10.200.0.7/32", "fd00::/64": the address with host bits cleared, the
  // way the kernel and `wg show` print it.
  std::string ToString() const;
  // True when every address of `other` is inside this prefix.
  bool Contains(const Cidr& other) const;
};

// Accepts "ADDRESS/PREFIX" or a bare address (a single host). Host bits
// past the prefix are cleared, as WireGuard does. InvalidArgument quoting
// the text otherwise.
absl::StatusOr<Cidr> ParseCidr(absl::string_view text);

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_NET_CIDR_H_
