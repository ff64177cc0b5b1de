// The ranges the admin API accepts, in one place: the server's handlers
// enforce them and trellisctl checks its options against them before it
// connects, so both name the same limits.
#ifndef TRELLIS_COMMON_RPC_ADMIN_LIMITS_H_
#define TRELLIS_COMMON_RPC_ADMIN_LIMITS_H_

#include <cstdint>

#include "absl/time/time.h"

namespace trellis::rpc {

// CreateEnrollmentToken: max_uses and ttl_seconds.
inline constexpr int64_t kMinTokenUses = 1;
inline constexpr int64_t kMaxTokenUses = 100000;
inline constexpr absl::Duration kMinTokenTtl = absl::Minutes(1);
inline constexpr absl::Duration kMaxTokenTtl = absl::Hours(24 * 365);

// AddException: `until` lies in (now, now + this].
inline constexpr absl::Duration kMaxExceptionLength = absl::Hours(24 * 365);

// ListAuditEvents.limit and ListDevices.page_size (0 means 100).
inline constexpr int64_t kMaxPageSize = 1000;

}  // namespace trellis::rpc

#endif  // TRELLIS_COMMON_RPC_ADMIN_LIMITS_H_
