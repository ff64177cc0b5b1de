// Maps one parsed VPN profile document onto v1::VpnProfile. A file in the
// policies directory is a VPN profile when it has the top-level key
// `vpn_profile` (and then no other); the layout is described in
// policy_loader.h. Every value is
// checked here with its position, by the same rules ValidateVpnProfiles
// applies to profiles from any client.
#ifndef TRELLIS_COMMON_POLICY_VPN_PROFILE_READER_H_
#define TRELLIS_COMMON_POLICY_VPN_PROFILE_READER_H_

#include "common/policy/yaml_reader.h"
#include "trellis/v1/policy.pb.h"
#include "yaml-cpp/yaml.h"

namespace trellis::policy {

inline constexpr char kVpnProfileKey[] = "vpn_profile";

// True when `root` is a mapping with a `vpn_profile` key: the file is meant
// as a profile, so its errors are reported as a profile's.
bool IsVpnProfileDocument(const YAML::Node& root);

v1::VpnProfile ReadVpnProfile(const YAML::Node& root, YamlReader& reader);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_VPN_PROFILE_READER_H_
