#include "server/vpn/tunnel_address_pool.h"

#include "absl/strings/str_cat.h"

namespace trellis::server {

std::string TunnelAddressPool::HostRoute(uint32_t address) {
  return absl::StrCat(net::FormatIpv4(address), "/32");
}

absl::StatusOr<TunnelAddressPool> MakeTunnelAddressPool(
    absl::string_view cidr) {
  absl::StatusOr<net::Ipv4Block> block = net::ParseIpv4Block(cidr);
  if (!block.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--vpn-pool: ", block.status().message()));
  }
  if (block->prefix < 8 || block->prefix > 29) {
    return absl::InvalidArgumentError(
        absl::StrCat("--vpn-pool: ", cidr,
                     " must be a block of /8 to /29 (at least 5 "
                     "device addresses)"));
  }
  TunnelAddressPool pool;
  pool.block = *block;
  pool.first_assignable = block->first() + 2;
  pool.last_assignable = block->last() - 1;
  return pool;
}

}  // namespace trellis::server
