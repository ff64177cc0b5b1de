// IP addresses, CIDR blocks and host:port endpoints as admins write them in
// policy files and flags. Parsing only; no name resolution.
#ifndef TRELLIS_COMMON_NET_IP_ADDRESS_H_
#define TRELLIS_COMMON_NET_IP_ADDRESS_H_

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
// "host:port" where host is IPv4, [IPv6] or a DNS name, port 1-65535.
absl::Status ValidateEndpoint(absl::string_view host_port);
// A DNS name: labels of 1-63 letters, digits and '-', at most 253 bytes.
bool IsDnsName(absl::string_view name);

}  // namespace trellis::net

#endif  // TRELLIS_COMMON_NET_IP_ADDRESS_H_
