// Writes signed checkpoints of the audit chain head (audit_checkpoint.h):
// on demand, periodically from Start(), and once more at clean shutdown.
// It signs only a chain that extends the newest checkpoint, so a deleted or
// rewritten chain is never blessed by a fresh signature.
#ifndef TRELLIS_SERVER_AUDIT_AUDIT_CHECKPOINTER_H_
#define TRELLIS_SERVER_AUDIT_AUDIT_CHECKPOINTER_H_

#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "server/store/store.h"

namespace trellis::server {

class AuditCheckpointer {
 public:
  // `path`: the checkpoint file; `private_key_pem`: the audit-signing key.
  AuditCheckpointer(Store* store, const Clock* clock, std::string path,
                    std::string private_key_pem);
  ~AuditCheckpointer() { Stop(); }

  // Signs the current chain head when it moved past the newest checkpoint.
  // FailedPrecondition (and nothing written) when the entries since that
  // checkpoint do not extend it, or the file cannot be read.
  absl::Status CheckpointNow() ABSL_LOCKS_EXCLUDED(mu_);

  void Start(absl::Duration period);
  void Stop();

 private:
  Store* store_;
  const Clock* clock_;
  std::string path_;
  std::string private_key_pem_;
  // One checkpoint at a time: guards the read-modify-write of the file at
  // path_, which no member represents (so nothing is ABSL_GUARDED_BY it).
  absl::Mutex mu_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_AUDIT_AUDIT_CHECKPOINTER_H_
