// screen_lock on macOS: `sysadminctl -screenLock status` (which prints to
// stderr) and the screen saver's idleTime. The password setting decides
// whether the table is known; an unreadable idleTime is only NULL.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/facts/command_text.h"
#include "agent/facts/macos/defaults_parser.h"
#include "agent/facts/macos/macos_collectors.h"
#include "agent/facts/macos/screen_lock_parser.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {
namespace {

class ScreenLockCollector : public Collector {
 public:
  std::string table() const override { return "screen_lock"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    const std::vector<std::string> argv = {"sysadminctl", "-screenLock",
                                           "status"};
    absl::StatusOr<CommandResult> out = RunExpectingSuccess(ctx, argv);
    if (!out.ok()) {
      return facts::TableBuilder::Unknown(table(), out.status().message());
    }
    absl::StatusOr<ScreenLockSetting> setting = ParseSysadminctlScreenLock(
        absl::StrCat(out->stdout_text, "\n", out->stderr_text));
    if (!setting.ok()) {
      return facts::TableBuilder::Unknown(
          table(), ParseFailureReason(argv, setting.status()));
    }
    return BuildScreenLockTable(*setting, IdleTime(ctx));
  }

 private:
  static std::optional<int64_t> IdleTime(CollectContext& ctx) {
    absl::StatusOr<CommandResult> out =
        RunCommand(ctx, {"defaults", "-currentHost", "read",
                         "com.apple.screensaver", "idleTime"});
    if (!out.ok() || out->exit_code != 0) return std::nullopt;
    absl::StatusOr<int64_t> seconds = ParseDefaultsInteger(out->stdout_text);
    if (!seconds.ok() || *seconds < 0) return std::nullopt;
    return *seconds;
  }
};

}  // namespace

std::unique_ptr<Collector> NewScreenLockCollector() {
  return std::make_unique<ScreenLockCollector>();
}

}  // namespace trellis::agent::macos_facts
