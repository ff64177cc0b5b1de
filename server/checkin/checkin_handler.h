// Stores a device's posture report and the server's verdict on it (the one
// that counts). Acknowledges only after commit; a repeated sequence number
// is answered from stored state without a write; an unchanged posture and
// verdict update only the device's last-seen time.
#ifndef TRELLIS_SERVER_CHECKIN_CHECKIN_HANDLER_H_
#define TRELLIS_SERVER_CHECKIN_CHECKIN_HANDLER_H_

#include <functional>

#include "absl/status/statusor.h"
#include "server/auth/authenticator.h"
#include "server/policy/policy_registry.h"
#include "server/server_config.h"
#include "server/store/store.h"
#include "server/vpn/peer_sync.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::server {

// How far one report's sequence may run ahead of the last accepted one.
// Agents count up by one per report, so a larger step is a broken or hostile
// client; unbounded, one report of 2^64-1 would make every later report a
// "duplicate" and freeze the device's last-seen time.
inline constexpr uint64_t kMaxSequenceStep = 1000000;

// InvalidArgument naming the sequence and the bound when `sequence` is more
// than kMaxSequenceStep past `last_accepted`.
absl::Status CheckSequenceStep(uint64_t sequence, uint64_t last_accepted);

class CheckInHandler {
 public:
  using Done = std::function<void(absl::StatusOr<v1::CheckInResponse>)>;
  CheckInHandler(Store* store, const ServerConfig* config,
                 PolicyRegistry* policies, const PeerSync* peers)
      : store_(store), config_(config), policies_(policies), peers_(peers) {}

  void CheckIn(const AuthenticatedDevice& caller,
               const v1::CheckInRequest& request, Done done);

 private:
  Store* store_;
  const ServerConfig* config_;
  PolicyRegistry* policies_;
  const PeerSync* peers_;
};

// Carries each check's "since" forward from `previous` when its state did
// not change; returns the records to store and sets `changed` when they
// differ from `previous`.
std::vector<CheckStateRecord> NextCheckStates(
    const std::string& device_id, const v1::Verdict& verdict,
    const std::vector<CheckStateRecord>& previous, absl::Time now,
    bool* changed);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_CHECKIN_CHECKIN_HANDLER_H_
