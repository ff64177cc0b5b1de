#include "agent/vpn/profile_validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "agent/vpn/net_text.h"
#include "common/crypto/wireguard_key.h"

namespace trellis::agent {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

template <typename List>
absl::Status CheckCidrs(absl::string_view field, const List& list) {
  for (int i = 0; i < list.size(); ++i) {
    auto cidr = ParseCidr(list[i]);
    if (!cidr.ok()) {
      return Bad(absl::StrCat(field, "[", i, "]"), cidr.status().message());
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDomains(
    absl::string_view field,
    const google::protobuf::RepeatedPtrField<std::string>& list) {
  for (int i = 0; i < list.size(); ++i) {
    if (!IsDnsName(list[i])) {
      return Bad(absl::StrCat(field, "[", i, "]"),
                 absl::StrCat("'", list[i], "' is not a DNS name"));
    }
  }
  return absl::OkStatus();
}

bool IsHex64(absl::string_view text) {
  int digits = 0;
  for (char c : text) {
    if (c == ':') continue;
    if (!absl::ascii_isxdigit(c)) return false;
    ++digits;
  }
  return digits == 64;
}

}  // namespace

absl::Status ValidateAssignment(const v1::VpnAssignment& assignment) {
  if (!assignment.tunnel_address().empty()) {
    auto address = ParseCidr(assignment.tunnel_address());
    if (!address.ok()) return Bad("tunnel_address", address.status().message());
  }
  if (!assignment.has_profile()) return absl::OkStatus();
  const v1::VpnProfile& p = assignment.profile();
  if (absl::Status key = crypto::ValidateWireGuardKey(p.gateway_public_key());
      !key.ok()) {
    return Bad("profile.gateway_public_key", key.message());
  }
  if (auto endpoint = ParseEndpoint(p.gateway_endpoint()); !endpoint.ok()) {
    return Bad("profile.gateway_endpoint", endpoint.status().message());
  }
  if (absl::Status s = CheckCidrs("profile.routes", p.routes()); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckCidrs("profile.remediation_destinations",
                                  p.remediation_destinations());
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < p.dns_servers_size(); ++i) {
    if (!IsIpAddress(p.dns_servers(i))) {
      return Bad(absl::StrCat("profile.dns_servers[", i, "]"),
                 absl::StrCat("'", p.dns_servers(i), "' is not an IP address"));
    }
  }
  if (absl::Status s =
          CheckDomains("profile.dns_search_domains", p.dns_search_domains());
      !s.ok()) {
    return s;
  }
  if (p.persistent_keepalive_seconds() < 0 ||
      p.persistent_keepalive_seconds() > 3600) {
    return Bad(
        "profile.persistent_keepalive_seconds",
        absl::StrCat(p.persistent_keepalive_seconds(), " is outside 0..3600"));
  }
  const v1::TrustedNetworks& trusted = p.trusted_networks();
  if (absl::Status s =
          CheckDomains("profile.trusted_networks.dns_search_domains",
                       trusted.dns_search_domains());
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < trusted.beacons_size(); ++i) {
    const v1::TlsBeacon& beacon = trusted.beacons(i);
    std::string field =
        absl::StrCat("profile.trusted_networks.beacons[", i, "]");
    if (auto endpoint = ParseEndpoint(beacon.address()); !endpoint.ok()) {
      return Bad(field + ".address", endpoint.status().message());
    }
    if (!IsHex64(beacon.sha256_fingerprint())) {
      return Bad(field + ".sha256_fingerprint", "not 64 hex digits");
    }
  }
  return absl::OkStatus();
}

}  // namespace trellis::agent
