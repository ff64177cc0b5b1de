#include "agent/checkin/backoff.h"

#include <algorithm>

namespace trellis::agent {

absl::Duration Backoff::AfterSuccess() {
  failures_ = 0;
  double jitter = (uniform01_() * 2 - 1) * timing_.jitter_fraction;
  return timing_.interval * (1 + jitter);
}

absl::Duration Backoff::AfterFailure() {
  absl::Duration ceiling = timing_.initial_backoff;
  for (int i = 0; i < failures_ && ceiling < timing_.max_backoff; ++i) {
    ceiling *= 2;
  }
  ceiling = std::min(ceiling, timing_.max_backoff);
  ++failures_;
  return ceiling / 2 + (ceiling / 2) * uniform01_();
}

}  // namespace trellis::agent
