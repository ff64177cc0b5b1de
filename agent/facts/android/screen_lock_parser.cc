#include "agent/facts/android/screen_lock_parser.h"

#include <limits>

#include "common/facts/table_builder.h"

namespace trellis::agent::android_facts {

std::optional<int64_t> MillisToSeconds(std::optional<int64_t> millis) {
  if (!millis || *millis < 0) return std::nullopt;
  return *millis / 1000;
}

std::optional<int64_t> ScreenOffSeconds(std::optional<int64_t> millis) {
  if (!millis) return std::nullopt;
  if (*millis <= 0 || *millis >= std::numeric_limits<int32_t>::max()) {
    return 0;
  }
  return *millis / 1000;
}

v1::FactTable BuildScreenLockTable(std::optional<bool> credential_set,
                                   std::optional<int64_t> screen_off_millis,
                                   std::optional<int64_t> lock_after_millis) {
  std::optional<int64_t> idle = ScreenOffSeconds(screen_off_millis);
  std::optional<bool> enabled;
  if (credential_set == false || idle == 0) {
    enabled = false;
  } else if (credential_set == true) {
    enabled = true;
  }
  std::optional<int64_t> lock_delay;
  if (credential_set != false) lock_delay = MillisToSeconds(lock_after_millis);
  facts::TableBuilder table("screen_lock");
  table.Row()
      .Bool("enabled", enabled)
      .Integer("idle_delay_seconds", idle)
      .Integer("lock_delay_seconds", lock_delay)
      .Text("source", "android");
  return table.Build();
}

}  // namespace trellis::agent::android_facts
