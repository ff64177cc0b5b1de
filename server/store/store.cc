#include "server/store/store.h"

#include <algorithm>

#include "absl/synchronization/notification.h"

namespace trellis::server {

bool CommitEvents::empty() const {
  return devices.empty() && operators.empty() && bundle_version == 0 &&
         last_peer_serial == 0 && !peer_log_pruned;
}

void CommitEvents::MergeFrom(const CommitEvents& later) {
  for (const auto& [id, state] : later.devices) devices[id] = state;
  for (const std::string& name : later.operators) {
    if (std::find(operators.begin(), operators.end(), name) ==
        operators.end()) {
      operators.push_back(name);
    }
  }
  bundle_version = std::max(bundle_version, later.bundle_version);
  last_peer_serial = std::max(last_peer_serial, later.last_peer_serial);
  peer_log_pruned = peer_log_pruned || later.peer_log_pruned;
}

absl::Status Store::WriteSync(WriteFn fn) {
  absl::Notification done;
  absl::Status result;
  Write(std::move(fn), [&](absl::Status s) {
    result = std::move(s);
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

}  // namespace trellis::server
