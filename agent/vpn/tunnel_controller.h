// Carries a TunnelPlan out on this device. On Linux that means driving
// wireguard-go, wg and ip; elsewhere it means writing the profile file the
// platform's WireGuard app imports. Applying the same plan twice changes
// nothing the second time.
#ifndef TRELLIS_AGENT_VPN_TUNNEL_CONTROLLER_H_
#define TRELLIS_AGENT_VPN_TUNNEL_CONTROLLER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/vpn/tunnel_plan.h"

namespace trellis::agent {

struct ApplyResult {
  // Something on the device was changed (as opposed to found right).
  bool changed = false;
  // Parts of the plan that were not applied and why ("DNS not applied:
  // resolvectl is not installed"); the tunnel itself still works.
  std::vector<std::string> notes;
};

// What the device's tunnel looks like now, for `status`.
struct TunnelObservation {
  // False when the state could not be read (detail says why).
  bool known = true;
  bool present = false;
  bool up = false;
  std::string peer_endpoint;
  std::optional<absl::Time> latest_handshake;
  std::string detail;
};

class TunnelController {
 public:
  virtual ~TunnelController() = default;
  // Makes the device match `plan`; errors name the step that failed.
  virtual absl::StatusOr<ApplyResult> Apply(const TunnelPlan& plan) = 0;
  virtual TunnelObservation Observe() = 0;
  // "interface trellis0", "profile file /var/lib/.../trellis0.conf".
  virtual std::string Describe() const = 0;
};

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_TUNNEL_CONTROLLER_H_
