// screen_lock on Android: screen_off_timeout (system settings, ms) is the
// idle time before the screen turns off; lock_screen_lock_after_timeout
// (secure settings, ms) the grace before the turned-off screen locks;
// whether it locks with a credential at all comes from `dumpsys
// lock_settings` (see mobile_security_parser.h).
#ifndef TRELLIS_AGENT_FACTS_ANDROID_SCREEN_LOCK_PARSER_H_
#define TRELLIS_AGENT_FACTS_ANDROID_SCREEN_LOCK_PARSER_H_

#include <cstdint>
#include <optional>

#include "trellis/v1/common.pb.h"

namespace trellis::agent::android_facts {

// Milliseconds to whole seconds (rounded down). For screen_off_timeout,
// Integer.MAX_VALUE (what "never" and stay-awake tools write) and
// non-positive values mean the screen never turns off: 0.
std::optional<int64_t> ScreenOffSeconds(std::optional<int64_t> millis);
std::optional<int64_t> MillisToSeconds(std::optional<int64_t> millis);

// enabled: a credential is set and the screen turns off by itself (NULL
// when the credential is unknown). lock_delay_seconds is NULL when no
// credential is set, since then nothing is locked.
v1::FactTable BuildScreenLockTable(std::optional<bool> credential_set,
                                   std::optional<int64_t> screen_off_millis,
                                   std::optional<int64_t> lock_after_millis);

}  // namespace trellis::agent::android_facts

#endif  // TRELLIS_AGENT_FACTS_ANDROID_SCREEN_LOCK_PARSER_H_
