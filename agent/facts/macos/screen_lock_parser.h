// screen_lock on macOS: whether a password is required after the screen
// saver starts or the display sleeps (`sysadminctl -screenLock status`), and
// how long the Mac idles before the screen saver starts (`defaults
// -currentHost read com.apple.screensaver idleTime`).
//
// Both are per-user settings. The agent reads them as the account it runs
// as, which is the logged-in user only when the agent runs in that user's
// session.
#ifndef TRELLIS_AGENT_FACTS_MACOS_SCREEN_LOCK_PARSER_H_
#define TRELLIS_AGENT_FACTS_MACOS_SCREEN_LOCK_PARSER_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::macos_facts {

struct ScreenLockSetting {
  bool password_required = false;
  // Grace after the screen saver starts before the password is needed;
  // 0 for "immediate". Only set when password_required.
  std::optional<int64_t> delay_seconds;
};

// Parses sysadminctl's log-style line (it writes to stderr, with a
// timestamp and process prefix): "screenLock delay is 300 seconds",
// "screenLock delay is immediate", "screenLock is off". A negative delay
// is how some versions print "off".
absl::StatusOr<ScreenLockSetting> ParseSysadminctlScreenLock(
    absl::string_view text);

// enabled: a password is required and the screen saver is not set to
// "never" (idleTime 0); an unset idleTime leaves it to the password
// setting. idle_delay_seconds NULL when idleTime is unset.
v1::FactTable BuildScreenLockTable(const ScreenLockSetting& setting,
                                   std::optional<int64_t> idle_seconds);

}  // namespace trellis::agent::macos_facts

#endif  // TRELLIS_AGENT_FACTS_MACOS_SCREEN_LOCK_PARSER_H_
