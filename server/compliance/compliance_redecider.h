// Re-decides a device's compliance from what the server already stores (its
// check states and the current bundle), for causes that are not a new
// report: an admin exception that starts, is removed or runs out. The
// transition, the device row and its gateway peer change in the caller's
// write, like a check-in's would.
#ifndef TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_REDECIDER_H_
#define TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_REDECIDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/store/store.h"
#include "server/vpn/peer_sync.h"

namespace trellis::server {

class ComplianceRedecider {
 public:
  // `peers` may be null (no VPN side effects, for tests of the decision).
  ComplianceRedecider(PeerSync::BundleSource bundle, const PeerSync* peers)
      : bundle_(std::move(bundle)), peers_(peers) {}

  // No-op for a device that is not active, not evaluated yet or stale, or
  // when no bundle is published. `why` is added to the transition's cause.
  // True when the compliance state changed.
  absl::StatusOr<bool> Redecide(StoreWriter& writer,
                                const std::string& device_id,
                                const std::string& why, absl::Time now) const;

 private:
  PeerSync::BundleSource bundle_;
  const PeerSync* peers_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_REDECIDER_H_
