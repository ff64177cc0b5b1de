// Counts failed enrolment attempts per peer host in a sliding window and
// refuses further attempts once the limit is reached, so a token cannot be
// guessed online. Thread-safe; time comes from the injected clock.
#ifndef TRELLIS_SERVER_ENROLLMENT_FAILURE_LIMITER_H_
#define TRELLIS_SERVER_ENROLLMENT_FAILURE_LIMITER_H_

#include <deque>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/util/clock.h"

namespace trellis::server {

class FailureLimiter {
 public:
  FailureLimiter(const Clock* clock, int limit, absl::Duration window)
      : clock_(clock), limit_(limit), window_(window) {}

  // ResourceExhausted, naming when to retry, once `peer` is over the limit.
  absl::Status Check(const std::string& peer);
  void RecordFailure(const std::string& peer);

 private:
  void Expire(std::deque<absl::Time>& times, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock* clock_;
  const int limit_;
  const absl::Duration window_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::deque<absl::Time>> failures_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_ENROLLMENT_FAILURE_LIMITER_H_
