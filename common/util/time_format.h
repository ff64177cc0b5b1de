// One textual form for instants in logs, audit details and state files.
#ifndef TRELLIS_COMMON_UTIL_TIME_FORMAT_H_
#define TRELLIS_COMMON_UTIL_TIME_FORMAT_H_

#include <string>

#include "absl/time/time.h"

namespace trellis {

// "2026-11-23T11:36:19+00:00"
inline std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone());
}

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_TIME_FORMAT_H_
