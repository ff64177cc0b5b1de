// Structural checks on VPN profiles, whoever built them (the YAML loader, or
// an independent client calling PublishPolicies): the server re-validates
// everything it is sent, and a profile ends up in WireGuard configuration on
// devices and gateways, so nothing malformed may pass. Also picks the
// profile a device gets.
#ifndef TRELLIS_COMMON_POLICY_VPN_PROFILE_VALIDATION_H_
#define TRELLIS_COMMON_POLICY_VPN_PROFILE_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::policy {

// Limits on every list (routes, DNS servers, beacons, profiles, ...) and
// every string (title, names, addresses) in a profile.
inline constexpr size_t kMaxVpnListEntries = 64;
inline constexpr size_t kMaxVpnText = 253;
inline constexpr int kMaxVpnKeepaliveSeconds = 3600;

// net::IsDnsName as a status, for search domains.
absl::Status ValidateDnsName(absl::string_view name);

// A certificate SHA-256 fingerprint as stored: 64 lower-case hex digits.
absl::Status ValidateSha256Fingerprint(absl::string_view hex);

// InvalidArgument naming the profile and field ("vpn profile 'x':
// routes[2]: ..."), or OK. Empty is valid: a bundle need not have a VPN.
absl::Status ValidateVpnProfiles(const std::vector<v1::VpnProfile>& profiles);

// The first profile in bundle order whose applies_to matches the device
// (an empty list matches anything), by the rule policies use; null when
// none does.
const v1::VpnProfile* SelectVpnProfile(const v1::PolicyBundle& bundle,
                                       v1::Platform platform,
                                       v1::Ownership ownership,
                                       const std::string& group);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_VPN_PROFILE_VALIDATION_H_
