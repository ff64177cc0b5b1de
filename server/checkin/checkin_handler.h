// Stores a device's posture report. Acknowledges only after commit; a
// repeated sequence number is answered from stored state without a write;
// an unchanged posture updates only the device's last-seen time.
#ifndef TRELLIS_SERVER_CHECKIN_CHECKIN_HANDLER_H_
#define TRELLIS_SERVER_CHECKIN_CHECKIN_HANDLER_H_

#include <functional>

#include "absl/status/statusor.h"
#include "server/auth/authenticator.h"
#include "server/server_config.h"
#include "server/store/store.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::server {

class CheckInHandler {
 public:
  using Done = std::function<void(absl::StatusOr<v1::CheckInResponse>)>;
  CheckInHandler(Store* store, const ServerConfig* config)
      : store_(store), config_(config) {}

  void CheckIn(const AuthenticatedDevice& caller,
               const v1::CheckInRequest& request, Done done);

 private:
  Store* store_;
  const ServerConfig* config_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_CHECKIN_CHECKIN_HANDLER_H_
