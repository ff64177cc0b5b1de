#include "agent/facts/macos/screen_lock_parser.h"

#include <cmath>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/command_text.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {

absl::StatusOr<ScreenLockSetting> ParseSysadminctlScreenLock(
    absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    // Skip the "2024-03-01 10:00:00.123 sysadminctl[123:456] " prefix.
    size_t at = line.find("screenLock ");
    if (at == absl::string_view::npos) continue;
    absl::string_view rest = line.substr(at + 11);
    if (absl::StartsWith(rest, "is off")) {
      return ScreenLockSetting{false, std::nullopt};
    }
    if (!absl::ConsumePrefix(&rest, "delay is ")) continue;
    rest = absl::StripAsciiWhitespace(rest);
    if (absl::StartsWith(rest, "immediate")) {
      return ScreenLockSetting{true, 0};
    }
    absl::string_view number = rest.substr(0, rest.find(' '));
    double seconds = 0;
    if (!absl::SimpleAtod(number, &seconds) || !std::isfinite(seconds) ||
        seconds > 1e9) {
      return absl::InvalidArgumentError(
          absl::StrCat("unreadable delay '", rest.substr(0, 40), "'"));
    }
    if (seconds < 0) return ScreenLockSetting{false, std::nullopt};
    return ScreenLockSetting{true, static_cast<int64_t>(std::llround(seconds))};
  }
  std::string first = FirstLine(text);
  if (first.empty()) return absl::InvalidArgumentError("empty output");
  return absl::InvalidArgumentError(
      absl::StrCat("no screenLock line in output: '", first, "'"));
}

v1::FactTable BuildScreenLockTable(const ScreenLockSetting& setting,
                                   std::optional<int64_t> idle_seconds) {
  // idleTime 0 means the screen saver never starts; the display may still
  // sleep (and lock) on the energy settings, which are not read, so this
  // errs towards "does not lock".
  bool enabled =
      setting.password_required && (!idle_seconds || *idle_seconds > 0);
  facts::TableBuilder table("screen_lock");
  table.Row()
      .Bool("enabled", enabled)
      .Integer("idle_delay_seconds", idle_seconds)
      .Integer("lock_delay_seconds", setting.delay_seconds)
      .Text("source", "macos");
  return table.Build();
}

}  // namespace trellis::agent::macos_facts
