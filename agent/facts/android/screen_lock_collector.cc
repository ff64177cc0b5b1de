// screen_lock on Android: the two timeouts from `settings` and the
// credential from `dumpsys lock_settings`. If `settings` cannot run the
// table is unknown; an unreadable credential leaves enabled NULL.
#include <cstdint>
#include <optional>
#include <string>

#include "agent/facts/android/android_collectors.h"
#include "agent/facts/android/command_text.h"
#include "agent/facts/android/mobile_security_parser.h"
#include "agent/facts/android/screen_lock_parser.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::android_facts {
namespace {

class ScreenLockCollector : public Collector {
 public:
  std::string table() const override { return "screen_lock"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<std::optional<int64_t>> screen_off =
        SettingsInteger(ctx, "system", "screen_off_timeout");
    if (!screen_off.ok()) {
      return facts::TableBuilder::Unknown(table(),
                                          screen_off.status().message());
    }
    absl::StatusOr<std::optional<int64_t>> lock_after =
        SettingsInteger(ctx, "secure", "lock_screen_lock_after_timeout");
    std::optional<bool> credential;
    absl::StatusOr<CommandResult> dump =
        RunExpectingSuccess(ctx, {"dumpsys", "lock_settings"});
    if (dump.ok()) {
      absl::StatusOr<bool> secure = ParseDumpsysLockSettings(dump->stdout_text);
      if (secure.ok()) credential = *secure;
    }
    return BuildScreenLockTable(
        credential, *screen_off,
        lock_after.ok() ? *lock_after : std::optional<int64_t>());
  }
};

}  // namespace

std::unique_ptr<Collector> NewScreenLockCollector() {
  return std::make_unique<ScreenLockCollector>();
}

}  // namespace trellis::agent::android_facts
