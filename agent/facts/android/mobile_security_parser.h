// mobile_security on Android, from what a shell user (adb, or the agent
// with shell privileges) can read:
//   lock_screen_secure  `dumpsys lock_settings`: the credential type of the
//                       primary user (user 0). `locksettings get-disabled`
//                       only says whether the keyguard is shown at all, and
//                       `dumpsys trust` says whether the device is locked
//                       now, not whether a credential is set.
//   encryption_state    getprop ro.crypto.state
//   developer_options   settings get global development_settings_enabled
//   usb_debugging       settings get global adb_enabled
//   rooted              `which su`, ro.debuggable with ro.secure, and
//                       test-keys in ro.build.tags
#ifndef TRELLIS_AGENT_FACTS_ANDROID_MOBILE_SECURITY_PARSER_H_
#define TRELLIS_AGENT_FACTS_ANDROID_MOBILE_SECURITY_PARSER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/exec/command_runner.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::android_facts {

// Parses the "User 0" block of `dumpsys lock_settings`: its CredentialType
// line, printed as a name since Android 12 ("Pin" on 12, "PIN" on 15; None,
// Pattern, Password) and accepted as the number some builds print (-1 none,
// 1 pattern, 2 password, 3 PIN, 4 PIN or password). True when a credential
// is set. Android 10 and older print no CredentialType, and "Quality" is
// not used instead: it reads 0 on Android 15 with a PIN set. Output without
// the line (those releases, a permission denial, a missing service) is an
// error, so the column is NULL rather than a guess.
absl::StatusOr<bool> ParseDumpsysLockSettings(absl::string_view text);

// `which su`: true when it exits 0 and prints a path, false when it exits
// 1 with no output (not found), nullopt otherwise (which itself missing).
std::optional<bool> ParseWhichSu(const CommandResult& result);

struct RootSignals {
  std::optional<bool> su_found;
  std::optional<std::string> debuggable;  // ro.debuggable
  std::optional<std::string> secure;      // ro.secure
  std::optional<std::string> build_tags;  // ro.build.tags
};

// True when any indicator is present; false only when every one was read
// and none is; otherwise nullopt. Absence is no proof: root hidden from
// the shell (Magisk's DenyList) is not found by this.
std::optional<bool> DetectRoot(const RootSignals& signals);

// development_settings_enabled. When the setting was never written
// ("null") Android itself treats it as off except on eng builds, so the
// build type decides; without the build type it is nullopt.
std::optional<bool> DeveloperOptionsEnabled(
    std::optional<int64_t> setting,
    const std::optional<std::string>& build_type);

// ro.crypto.state when it is one of encrypted, unencrypted, unsupported.
std::optional<std::string> EncryptionState(
    const std::optional<std::string>& crypto_state);

struct MobileSecurity {
  std::optional<bool> lock_screen_secure;
  std::optional<std::string> encryption_state;
  std::optional<bool> developer_options;
  std::optional<bool> usb_debugging;
  std::optional<bool> rooted;
};

v1::FactTable BuildMobileSecurityTable(const MobileSecurity& m);

}  // namespace trellis::agent::android_facts

#endif  // TRELLIS_AGENT_FACTS_ANDROID_MOBILE_SECURITY_PARSER_H_
