// Timing of the agent's loop: the regular interval with jitter (so a fleet
// that rebooted together does not check in together), and capped
// exponential back-off while the server is unreachable.
#ifndef TRELLIS_AGENT_CHECKIN_BACKOFF_H_
#define TRELLIS_AGENT_CHECKIN_BACKOFF_H_

#include <functional>

#include "absl/time/time.h"

namespace trellis::agent {

struct LoopTiming {
  absl::Duration interval = absl::Minutes(5);
  double jitter_fraction = 0.1;  // +-10% of the interval
  absl::Duration initial_backoff = absl::Seconds(2);
  absl::Duration max_backoff = absl::Minutes(5);
};

class Backoff {
 public:
  // `uniform01` returns a value in [0, 1); injected for tests.
  Backoff(LoopTiming timing, std::function<double()> uniform01)
      : timing_(timing), uniform01_(std::move(uniform01)) {}

  // Delay before the next attempt after a success.
  absl::Duration AfterSuccess();
  // Delay before the next attempt after a failure; grows x2 up to the cap,
  // with "equal jitter" (half fixed, half random).
  absl::Duration AfterFailure();
  int consecutive_failures() const { return failures_; }

 private:
  LoopTiming timing_;
  std::function<double()> uniform01_;
  int failures_ = 0;
};

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CHECKIN_BACKOFF_H_
