#include "agent/vpn/profile_validation.h"

#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"
#include "common/policy/vpn_profile_validation.h"

namespace trellis::agent {

absl::Status ValidateAssignment(const v1::VpnAssignment& assignment) {
  if (!assignment.tunnel_address().empty()) {
    absl::StatusOr<net::Cidr> address =
        net::ParseCidr(assignment.tunnel_address());
    if (!address.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("tunnel_address: ", address.status().message()));
    }
  }
  if (!assignment.has_profile()) return absl::OkStatus();
  return policy::ValidateVpnProfiles({assignment.profile()});
}

}  // namespace trellis::agent
