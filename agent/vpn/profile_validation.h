// The server's VPN assignment is untrusted input like any other: every
// field the agent would hand to wg, ip or a profile file is checked first,
// and the first bad one is named ("profile.routes[2]: ...").
#ifndef TRELLIS_AGENT_VPN_PROFILE_VALIDATION_H_
#define TRELLIS_AGENT_VPN_PROFILE_VALIDATION_H_

#include "absl/status/status.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {

// InvalidArgument naming the field, or OK. Checks the tunnel address and,
// when a profile is set, all of its network fields.
absl::Status ValidateAssignment(const v1::VpnAssignment& assignment);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_PROFILE_VALIDATION_H_
