// Certificate renewal: a device swaps its key for a fresh one. The new key
// is held as "pending" and the old key keeps working until the new one is
// first used, so a lost response can simply be retried.
#ifndef TRELLIS_SERVER_ENROLLMENT_RENEWER_H_
#define TRELLIS_SERVER_ENROLLMENT_RENEWER_H_

#include <functional>

#include "absl/status/statusor.h"
#include "server/auth/authenticator.h"
#include "server/enrollment/enroller.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::server {

class Renewer {
 public:
  using Done = std::function<void(absl::StatusOr<v1::RenewResponse>)>;
  Renewer(Store* store, const Enroller* enroller, const Clock* clock)
      : store_(store), enroller_(enroller), clock_(clock) {}

  void Renew(const AuthenticatedDevice& caller, const v1::RenewRequest& request,
             Done done);

 private:
  Store* store_;
  const Enroller* enroller_;
  const Clock* clock_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_ENROLLMENT_RENEWER_H_
