// Who gets a WireGuard peer at the gateway, and of what kind: a pure
// function of the device's lifecycle and compliance state, the enforcement
// of the checks it fails, and the profile that applies to it.
#ifndef TRELLIS_SERVER_VPN_VPN_ACCESS_DECISION_H_
#define TRELLIS_SERVER_VPN_VPN_ACCESS_DECISION_H_

#include <string>

#include "server/store/records.h"
#include "trellis/v1/common.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::server {

struct VpnAccessDecision {
  v1::VpnAccess access = v1::VPN_ACCESS_NONE;
  std::string reason;  // for the employee and the admin
};

// `profile` is null when none applies to the device.
VpnAccessDecision DecideVpnAccess(const DeviceRecord& device,
                                  const v1::VpnProfile* profile);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_VPN_VPN_ACCESS_DECISION_H_
