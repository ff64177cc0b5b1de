// Fires compliance timers without waiting for the next check-in: a grace
// period that ends makes the device noncompliant, and a device silent for
// longer than the validity window becomes stale (treated as noncompliant;
// see staleness.h for how a server restart is allowed for). SweepOnce() is
// the whole job; Start() runs it on a background thread.
#ifndef TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_SWEEPER_H_
#define TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_SWEEPER_H_

#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "common/util/clock.h"
#include "server/compliance/compliance_redecider.h"
#include "server/compliance/staleness.h"
#include "server/store/store.h"
#include "server/vpn/peer_sync.h"

namespace trellis::server {

class ComplianceSweeper {
 public:
  // `peers` (may be null in tests of the timers alone) removes the gateway
  // peer of a device whose access a timer takes away, in the same write.
  // `redecider` (may be null) re-decides devices whose exceptions ran out.
  ComplianceSweeper(Store* store, const Clock* clock, StalenessRule staleness,
                    const PeerSync* peers,
                    const ComplianceRedecider* redecider = nullptr)
      : store_(store),
        clock_(clock),
        staleness_(staleness),
        peers_(peers),
        redecider_(redecider) {}
  ~ComplianceSweeper() { Stop(); }

  // Applies every due transition; returns how many devices moved.
  absl::StatusOr<int> SweepOnce();

  void Start(absl::Duration period);
  void Stop();

 private:
  Store* store_;
  const Clock* clock_;
  StalenessRule staleness_;
  const PeerSync* peers_;
  const ComplianceRedecider* redecider_;
  // Exceptions that ended after this were not yet acted on. Starts in the
  // past, so ones that ended while the server was down count too.
  absl::Time exceptions_checked_through_ = absl::InfinitePast();
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_SWEEPER_H_
