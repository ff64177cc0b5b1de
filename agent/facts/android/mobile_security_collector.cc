// mobile_security on Android (see mobile_security_parser.h for the sources
// and why). getprop must work for the table to be known at all; any other
// source that fails leaves only its own column NULL.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/facts/android/android_collectors.h"
#include "agent/facts/android/command_text.h"
#include "agent/facts/android/mobile_security_parser.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::android_facts {
namespace {

class MobileSecurityCollector : public Collector {
 public:
  std::string table() const override { return "mobile_security"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<std::optional<std::string>> crypto_state =
        Getprop(ctx, "ro.crypto.state");
    if (!crypto_state.ok()) {
      return facts::TableBuilder::Unknown(table(),
                                          crypto_state.status().message());
    }
    MobileSecurity m;
    m.encryption_state = EncryptionState(*crypto_state);
    m.lock_screen_secure = LockScreenSecure(ctx);
    m.developer_options =
        DeveloperOptionsEnabled(Setting(ctx, "development_settings_enabled"),
                                Prop(ctx, "ro.build.type"));
    if (std::optional<int64_t> adb = Setting(ctx, "adb_enabled")) {
      m.usb_debugging = *adb != 0;
    }
    RootSignals root;
    absl::StatusOr<CommandResult> which = RunCommand(ctx, {"which", "su"});
    if (which.ok()) root.su_found = ParseWhichSu(*which);
    root.debuggable = Prop(ctx, "ro.debuggable");
    root.secure = Prop(ctx, "ro.secure");
    root.build_tags = Prop(ctx, "ro.build.tags");
    m.rooted = DetectRoot(root);
    return BuildMobileSecurityTable(m);
  }

 private:
  static std::optional<std::string> Prop(CollectContext& ctx,
                                         const std::string& name) {
    absl::StatusOr<std::optional<std::string>> value = Getprop(ctx, name);
    if (!value.ok()) return std::nullopt;
    return *value;
  }

  static std::optional<int64_t> Setting(CollectContext& ctx,
                                        const std::string& key) {
    absl::StatusOr<std::optional<int64_t>> value =
        SettingsInteger(ctx, "global", key);
    if (!value.ok()) return std::nullopt;
    return *value;
  }

  static std::optional<bool> LockScreenSecure(CollectContext& ctx) {
    absl::StatusOr<CommandResult> out =
        RunExpectingSuccess(ctx, {"dumpsys", "lock_settings"});
    if (!out.ok()) return std::nullopt;
    absl::StatusOr<bool> secure = ParseDumpsysLockSettings(out->stdout_text);
    if (!secure.ok()) return std::nullopt;
    return *secure;
  }
};

}  // namespace

std::unique_ptr<Collector> NewMobileSecurityCollector() {
  return std::make_unique<MobileSecurityCollector>();
}

}  // namespace trellis::agent::android_facts
