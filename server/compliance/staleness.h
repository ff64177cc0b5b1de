// When a silent device becomes stale. Silence is only counted while the
// server could have heard the device: after a restart every device gets a
// grace period to check in again, however long the server was down.
//
//   stale at = max(last check-in + validity window,
//                  server start + restart grace)
//
// The restart grace defaults to one check-in interval plus the agents'
// longest back-off (5 min unless `trellis-agent --max-backoff` says
// otherwise): an agent that was retrying while the server was down tries
// again within its back-off, one that was not within its interval.
#ifndef TRELLIS_SERVER_COMPLIANCE_STALENESS_H_
#define TRELLIS_SERVER_COMPLIANCE_STALENESS_H_

#include "absl/time/time.h"

namespace trellis::server {

// The agents' default maximum back-off (agent/checkin/backoff.h).
inline constexpr absl::Duration kAgentDefaultMaxBackoff = absl::Minutes(5);

absl::Duration DefaultRestartGrace(absl::Duration checkin_interval);

class StalenessRule {
 public:
  StalenessRule(absl::Duration validity_window, absl::Duration restart_grace,
                absl::Time server_started)
      : validity_window_(validity_window),
        not_before_(server_started + restart_grace) {}

  // Devices whose last check-in is before this are stale at `now`;
  // InfinitePast while the restart grace lasts (nobody is).
  absl::Time StaleBefore(absl::Time now) const;

  absl::Duration validity_window() const { return validity_window_; }

 private:
  absl::Duration validity_window_;
  absl::Time not_before_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_COMPLIANCE_STALENESS_H_
