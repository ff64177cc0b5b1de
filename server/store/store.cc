#include "server/store/store.h"

#include "absl/synchronization/notification.h"

namespace trellis::server {

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
