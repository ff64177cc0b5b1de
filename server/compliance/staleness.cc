#include "server/compliance/staleness.h"

namespace trellis::server {

absl::Duration DefaultRestartGrace(absl::Duration checkin_interval) {
  return checkin_interval + kAgentDefaultMaxBackoff;
}

absl::Time StalenessRule::StaleBefore(absl::Time now) const {
  if (now < not_before_) return absl::InfinitePast();
  return now - validity_window_;
}

}  // namespace trellis::server
