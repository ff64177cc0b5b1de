#include "agent/facts/android/mobile_security_parser.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/android/command_text.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::android_facts {
namespace {

// A credential type as printed by Android 10+, by name or number.
std::optional<bool> CredentialSet(absl::string_view type) {
  std::string t = absl::AsciiStrToLower(type);
  int n = 0;
  if (absl::SimpleAtoi(t, &n)) {
    if (n == -1) return false;
    if (n >= 1 && n <= 4) return true;
    return std::nullopt;
  }
  if (t == "none") return false;
  if (absl::StrContains(t, "pattern") || absl::StrContains(t, "pin") ||
      absl::StrContains(t, "password")) {
    return true;
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<bool> ParseDumpsysLockSettings(absl::string_view text) {
  bool in_user0 = false;
  std::optional<bool> from_type;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (absl::StartsWith(line, "User ")) {
      // "User 0" opens the primary user's block; any other user, and the
      // per-user lines of later sections ("User 0 [/data/...]:"), close it.
      in_user0 = line == "User 0" || line == "User 0:";
      continue;
    }
    if (!in_user0) continue;
    // The next section ("Storage:", "StrongAuth:") ends the block.
    // Indentation alone is not trusted: some builds print the block's own
    // lines unindented.
    if (!raw.empty() &&
        !absl::ascii_isspace(static_cast<unsigned char>(raw[0])) &&
        absl::EndsWith(line, ":")) {
      in_user0 = false;
      continue;
    }
    absl::string_view value = line;
    if (absl::ConsumePrefix(&value, "CredentialType:")) {
      from_type = CredentialSet(absl::StripAsciiWhitespace(value));
      if (!from_type) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown CredentialType '",
                         absl::StripAsciiWhitespace(value).substr(0, 40), "'"));
      }
    }
  }
  if (from_type) return *from_type;
  std::string first = FirstLine(text);
  if (first.empty()) return absl::InvalidArgumentError("empty output");
  return absl::InvalidArgumentError(
      absl::StrCat("no credential type for user 0 in output: '", first, "'"));
}

std::optional<bool> ParseWhichSu(const CommandResult& result) {
  absl::string_view out = absl::StripAsciiWhitespace(result.stdout_text);
  if (result.exit_code == 0 && absl::StartsWith(out, "/")) return true;
  if (result.exit_code == 1 && out.empty()) return false;
  return std::nullopt;
}

std::optional<bool> DetectRoot(const RootSignals& s) {
  bool test_keys =
      s.build_tags && absl::StrContains(*s.build_tags, "test-keys");
  bool insecure_debuggable = s.debuggable == "1" && s.secure == "0";
  if (s.su_found == true || test_keys || insecure_debuggable) return true;
  if (s.su_found == false && s.build_tags && s.debuggable && s.secure) {
    return false;
  }
  return std::nullopt;
}

std::optional<bool> DeveloperOptionsEnabled(
    std::optional<int64_t> setting,
    const std::optional<std::string>& build_type) {
  if (setting) return *setting != 0;
  if (!build_type) return std::nullopt;
  return *build_type == "eng";
}

std::optional<std::string> EncryptionState(
    const std::optional<std::string>& crypto_state) {
  if (crypto_state == "encrypted" || crypto_state == "unencrypted" ||
      crypto_state == "unsupported") {
    return crypto_state;
  }
  return std::nullopt;
}

v1::FactTable BuildMobileSecurityTable(const MobileSecurity& m) {
  facts::TableBuilder table("mobile_security");
  table.Row()
      .Bool("lock_screen_secure", m.lock_screen_secure)
      .Text("encryption_state", m.encryption_state)
      .Bool("developer_options", m.developer_options)
      .Bool("usb_debugging", m.usb_debugging)
      .Bool("rooted", m.rooted);
  return table.Build();
}

}  // namespace trellis::agent::android_facts
