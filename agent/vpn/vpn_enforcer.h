// Keeps the device's tunnel matching the server's latest VPN assignment:
// after each check-in, on a watchdog between check-ins, and when the agent
// stops. It decides (PlanTunnel), lets the controller act, logs changes
// once, and records the outcome for `trellis-agent status`.
//
// When the agent stops, an always-on tunnel is left up: traffic stays
// protected while the agent restarts, and the gateway enforces access
// whatever the device does. An untrusted-only tunnel is taken down, since
// without the agent nothing would notice the device reaching a trusted
// network. A device that loses its identity (revoked) takes it down too.
#ifndef TRELLIS_AGENT_VPN_VPN_ENFORCER_H_
#define TRELLIS_AGENT_VPN_VPN_ENFORCER_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "agent/facts/system_source.h"
#include "agent/state/agent_state.h"
#include "agent/vpn/beacon_prober.h"
#include "agent/vpn/trusted_network.h"
#include "agent/vpn/tunnel_controller.h"
#include "agent/vpn/tunnel_plan.h"
#include "common/util/clock.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {

struct VpnEnforcerOptions {
  // How often the watchdog re-checks the tunnel between check-ins.
  absl::Duration watchdog_interval = absl::Seconds(5);
  // How often it re-evaluates the trusted network (beacons cost a
  // connection each).
  absl::Duration trusted_network_interval = absl::Seconds(30);
  absl::Duration beacon_timeout = absl::Seconds(2);
};

class VpnEnforcer {
 public:
  // `reference` (may be null) also receives every plan; its errors are only
  // logged.
  VpnEnforcer(AgentState state, SystemSource* system, BeaconProber* prober,
              TunnelController* controller, TunnelController* reference,
              const Clock* clock, VpnEnforcerOptions options = {})
      : state_(std::move(state)),
        system_(system),
        prober_(prober),
        controller_(controller),
        reference_(reference),
        clock_(clock),
        options_(options) {}

  // After a successful check-in. `assignment` is the response's (an unset
  // one means the server gave none: the tunnel goes down).
  void OnAssignment(const v1::VpnAssignment& assignment);
  // After a failed check-in: until this process has an assignment, the one
  // from the last stored check-in is applied, so a restart while the server
  // is unreachable restores the tunnel.
  void OnCheckInFailed();
  // Between check-ins.
  void Watchdog();
  // True while a tunnel (or its trusted-network decision) needs watching.
  bool WantsWatchdog() const;
  absl::Duration watchdog_interval() const {
    return options_.watchdog_interval;
  }
  // The agent is stopping; `lost_identity` when the device was revoked.
  void OnStop(bool lost_identity);

  const TunnelPlan& plan() const { return plan_; }
  const TrustedNetworkResult& trust() const { return trust_; }
  // The last apply error; empty when the device matches the plan.
  const std::string& error() const { return error_; }

 private:
  void Evaluate(bool refresh_trust, bool skip_if_in_place);
  // True when `next` is what was last applied and the link still matches.
  bool InPlace(const TunnelPlan& next);
  void Apply(const TunnelPlan& next);
  void UpdateTrust(bool force);

  AgentState state_;
  SystemSource* system_;
  BeaconProber* prober_;
  TunnelController* controller_;
  TunnelController* reference_;
  const Clock* clock_;
  VpnEnforcerOptions options_;

  std::optional<v1::VpnAssignment> assignment_;
  TunnelPlan plan_;
  bool applied_ = false;
  TrustedNetworkResult trust_;
  std::optional<absl::Time> trust_checked_at_;
  std::string error_;
  std::string reference_error_;
  std::string saved_status_;
};

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_VPN_ENFORCER_H_
