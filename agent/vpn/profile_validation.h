// The server's VPN assignment is untrusted input like any other: every
// field the agent would hand to wg, ip or a profile file is checked first,
// and the first bad one is named. The profile gets the same structural
// checks the server applies when policies are published
// (policy::ValidateVpnProfiles); the tunnel address is the agent's own.
#ifndef TRELLIS_AGENT_VPN_PROFILE_VALIDATION_H_
#define TRELLIS_AGENT_VPN_PROFILE_VALIDATION_H_

#include "absl/status/status.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {

// InvalidArgument naming the field ("tunnel_address: ...", "vpn profile
// 'corp': routes[2]: ..."), or OK. Checks the tunnel address and, when a
// profile is set, the whole profile.
absl::Status ValidateAssignment(const v1::VpnAssignment& assignment);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_PROFILE_VALIDATION_H_
