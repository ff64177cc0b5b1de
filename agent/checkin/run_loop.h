// `trellis-agent run`: check in forever (or once), renewing the certificate
// when due and backing off while the server is unreachable. With a VPN
// enforcer, each check-in's VPN assignment is applied at once, and between
// check-ins the enforcer's watchdog runs every few seconds (on the injected
// clock) while a tunnel needs watching.
#ifndef TRELLIS_AGENT_CHECKIN_RUN_LOOP_H_
#define TRELLIS_AGENT_CHECKIN_RUN_LOOP_H_

#include <atomic>
#include <functional>

#include "absl/status/status.h"
#include "agent/checkin/backoff.h"
#include "agent/facts/device_probe.h"
#include "agent/state/agent_state.h"
#include "agent/vpn/vpn_enforcer.h"
#include "common/util/clock.h"

namespace trellis::agent {

struct RunOptions {
  bool once = false;
  LoopTiming timing;
  absl::Duration rpc_timeout = absl::Seconds(15);
  // Use the interval the server suggests in each response.
  bool follow_server_interval = true;
  // Stops the loop after this many attempts (0: never); for tests.
  int max_attempts = 0;
  // Send the WireGuard public key with each check-in (see CheckInOptions).
  bool use_vpn = true;
};

class RunLoop {
 public:
  // `sleep` waits (real time in production); it returns early, false, when
  // the loop should stop.
  using Sleeper = std::function<bool(absl::Duration)>;

  RunLoop(AgentState state, DeviceProbe* probe, Sleeper sleep,
          std::function<double()> uniform01)
      : state_(std::move(state)),
        probe_(probe),
        sleep_(std::move(sleep)),
        uniform01_(std::move(uniform01)) {}

  // With `once`: one renewal check and one check-in; returns its status.
  // Otherwise runs until the sleeper says stop, the server says the device
  // is revoked or retired, or max_attempts is reached. Local errors (state
  // files unreadable or unwritable) and network errors are retried with
  // back-off; they never stop the loop or take the tunnel down.
  absl::Status Run(const RunOptions& options);

  // Applies each check-in's VPN assignment through `vpn` (not owned; null:
  // the tunnel is left alone).
  void set_vpn(VpnEnforcer* vpn) { vpn_ = vpn; }

 private:
  absl::Status Attempt(const RunOptions& options, int* next_interval_seconds);
  // Sleeps `delay`, waking for the VPN watchdog; false when told to stop.
  bool Wait(absl::Duration delay);

  AgentState state_;
  DeviceProbe* probe_;
  Sleeper sleep_;
  std::function<double()> uniform01_;
  VpnEnforcer* vpn_ = nullptr;
};

// True only for the server's own answer that the device is revoked or
// retired (PERMISSION_DENIED from the check-in RPC). A local error is never
// a verdict, even when the OS said EACCES.
bool IsFatalForDevice(const absl::Status& status);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CHECKIN_RUN_LOOP_H_
