// What 'now' means inside a check. SQLite reads the time for date('now'),
// julianday('now'), CURRENT_TIMESTAMP, unixepoch() and the other time
// functions from its VFS (xCurrentTimeInt64); the sandbox opens its database
// on a VFS whose clock answers with the time set by a SandboxNow on the
// calling thread: the report's collection time. So agent and server judge the
// same report alike whenever they evaluate it, and a verdict depends on the
// facts alone.
#ifndef TRELLIS_COMMON_POLICY_SANDBOX_NOW_H_
#define TRELLIS_COMMON_POLICY_SANDBOX_NOW_H_

#include "absl/time/time.h"

namespace trellis::policy {

// The VFS to open sandbox databases on (registered on first use).
const char* SandboxVfsName();

// While alive, 'now' in sandbox queries on this thread is `now`. Outside
// one, the VFS reads the real clock.
class SandboxNow {
 public:
  explicit SandboxNow(absl::Time now);
  ~SandboxNow();
  SandboxNow(const SandboxNow&) = delete;
  SandboxNow& operator=(const SandboxNow&) = delete;

 private:
  const absl::Time* previous_;
  absl::Time now_;
};

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_SANDBOX_NOW_H_
