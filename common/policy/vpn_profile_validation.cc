#include "common/policy/vpn_profile_validation.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/crypto/wireguard_key.h"
#include "common/net/ip_address.h"
#include "common/policy/applies_to.h"
#include "common/policy/policy_validation.h"

namespace trellis::policy {
namespace {

using Strings = google::protobuf::RepeatedPtrField<std::string>;
using ValueCheck = absl::Status (*)(absl::string_view);

absl::Status Bad(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

absl::Status CheckText(absl::string_view field, const std::string& value,
                       ValueCheck check) {
  if (value.size() > kMaxVpnText) {
    return Bad(field, absl::StrCat("longer than ", kMaxVpnText, " bytes"));
  }
  absl::Status valid = check(value);
  if (!valid.ok()) {
    return Bad(field, absl::StrCat("'", value, "': ", valid.message()));
  }
  return absl::OkStatus();
}

absl::Status CheckList(absl::string_view field, const Strings& list,
                       ValueCheck check) {
  if (list.size() > static_cast<int>(kMaxVpnListEntries)) {
    return Bad(field, absl::StrCat("has ", list.size(), " entries; at most ",
                                   kMaxVpnListEntries));
  }
  for (int i = 0; i < list.size(); ++i) {
    absl::Status valid =
        CheckText(absl::StrCat(field, "[", i, "]"), list[i], check);
    if (!valid.ok()) return valid;
  }
  return absl::OkStatus();
}

absl::Status CheckTrustedNetworks(const v1::VpnProfile& p) {
  const v1::TrustedNetworks& t = p.trusted_networks();
  absl::Status s = CheckList("trusted_networks.dns_search_domains",
                             t.dns_search_domains(), ValidateDnsName);
  if (!s.ok()) return s;
  if (t.beacons_size() > static_cast<int>(kMaxVpnListEntries)) {
    return Bad("trusted_networks.beacons",
               absl::StrCat("has ", t.beacons_size(), " entries; at most ",
                            kMaxVpnListEntries));
  }
  for (int i = 0; i < t.beacons_size(); ++i) {
    std::string field = absl::StrCat("trusted_networks.beacons[", i, "]");
    s = CheckText(absl::StrCat(field, ".address"), t.beacons(i).address(),
                  net::ValidateEndpoint);
    if (!s.ok()) return s;
    s = CheckText(absl::StrCat(field, ".sha256_fingerprint"),
                  t.beacons(i).sha256_fingerprint(), ValidateSha256Fingerprint);
    if (!s.ok()) return s;
  }
  if (p.mode() == v1::VPN_MODE_UNTRUSTED_ONLY &&
      t.dns_search_domains().empty() && t.beacons().empty()) {
    // Without a way to recognise a trusted network the device would treat
    // every network as untrusted, which is always-on under another name.
    return Bad("mode",
               "untrusted-only needs trusted_networks (a DNS search "
               "domain or a beacon)");
  }
  return absl::OkStatus();
}

absl::Status ValidateProfile(const v1::VpnProfile& p) {
  if (p.title().empty() || p.title().size() > kMaxVpnText) {
    return Bad("title",
               absl::StrCat("is required (at most ", kMaxVpnText, " bytes)"));
  }
  absl::Status s = ValidateAppliesTo(p.applies_to());
  if (!s.ok()) return s;
  if (p.applies_to().groups_size() > static_cast<int>(kMaxVpnListEntries)) {
    return Bad("applies_to.groups",
               absl::StrCat("at most ", kMaxVpnListEntries, " entries"));
  }
  if (p.gateway_endpoint().empty()) return Bad("gateway_endpoint", "required");
  s = CheckText("gateway_endpoint", p.gateway_endpoint(),
                net::ValidateEndpoint);
  if (!s.ok()) return s;
  if (p.gateway_public_key().empty()) {
    return Bad("gateway_public_key", "required");
  }
  s = CheckText("gateway_public_key", p.gateway_public_key(),
                crypto::ValidateWireGuardPublicKey);
  if (!s.ok()) return s;
  if (p.routes().empty()) {
    return Bad("routes", "at least one CIDR (0.0.0.0/0 for a full tunnel)");
  }
  s = CheckList("routes", p.routes(), net::ValidateCidr);
  if (!s.ok()) return s;
  s = CheckList("dns_servers", p.dns_servers(), net::ValidateIpAddress);
  if (!s.ok()) return s;
  s = CheckList("dns_search_domains", p.dns_search_domains(), ValidateDnsName);
  if (!s.ok()) return s;
  if (p.persistent_keepalive_seconds() < 0 ||
      p.persistent_keepalive_seconds() > kMaxVpnKeepaliveSeconds) {
    return Bad("persistent_keepalive_seconds",
               absl::StrCat("must be 0..", kMaxVpnKeepaliveSeconds));
  }
  if (p.mode() != v1::VPN_MODE_ALWAYS_ON &&
      p.mode() != v1::VPN_MODE_UNTRUSTED_ONLY) {
    return Bad("mode", "must be always-on or untrusted-only");
  }
  s = CheckTrustedNetworks(p);
  if (!s.ok()) return s;
  return CheckList("remediation_destinations", p.remediation_destinations(),
                   net::ValidateCidr);
}

}  // namespace

absl::Status ValidateDnsName(absl::string_view name) {
  if (!net::IsDnsName(name)) {
    return absl::InvalidArgumentError(
        "not a DNS name (dot-separated labels of letters, digits and '-', at "
        "most 253 bytes)");
  }
  return absl::OkStatus();
}

absl::Status ValidateSha256Fingerprint(absl::string_view hex) {
  bool ok = hex.size() == 64;
  for (char c : hex)
    ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok) {
    return absl::InvalidArgumentError(
        "a SHA-256 fingerprint is 64 lower-case hex digits");
  }
  return absl::OkStatus();
}

absl::Status ValidateVpnProfiles(const std::vector<v1::VpnProfile>& profiles) {
  if (profiles.size() > kMaxVpnListEntries) {
    return absl::InvalidArgumentError(
        absl::StrCat("at most ", kMaxVpnListEntries, " VPN profiles"));
  }
  std::set<std::string> ids;
  for (const v1::VpnProfile& p : profiles) {
    std::string where =
        absl::StrCat("vpn profile '", p.id().substr(0, 64), "'");
    if (!IsPolicyId(p.id())) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": id must be [a-z0-9_-], 1-64"));
    }
    if (!ids.insert(p.id()).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": duplicate id"));
    }
    absl::Status s = ValidateProfile(p);
    if (!s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

const v1::VpnProfile* SelectVpnProfile(const v1::PolicyBundle& bundle,
                                       v1::Platform platform,
                                       v1::Ownership ownership,
                                       const std::string& group) {
  DeviceContext device{platform, ownership, group};
  for (const v1::VpnProfile& p : bundle.vpn_profiles()) {
    if (AppliesToDevice(p.applies_to(), device)) return &p;
  }
  return nullptr;
}

}  // namespace trellis::policy
