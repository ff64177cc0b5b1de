#include "agent/facts/macos/disk_encryption_parser.h"

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
namespace {

std::optional<double> PercentCompleted(absl::string_view line) {
  size_t eq = line.rfind('=');
  if (eq == absl::string_view::npos) return std::nullopt;
  double percent = 0;
  if (!absl::SimpleAtod(absl::StripAsciiWhitespace(line.substr(eq + 1)),
                        &percent)) {
    return std::nullopt;
  }
  return percent;
}

}  // namespace

absl::StatusOr<FileVaultStatus> ParseFdesetupStatus(absl::string_view text) {
  std::optional<FileVaultStatus> on_off;
  std::optional<FileVaultStatus> converting;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(line, "Encryption in progress") ||
        absl::StartsWith(line, "Decryption in progress")) {
      FileVaultStatus s;
      s.state = line[0] == 'E' ? FileVaultState::kEncrypting
                               : FileVaultState::kDecrypting;
      s.percent_completed = PercentCompleted(line);
      converting = s;
    } else if (absl::StartsWith(line, "FileVault is On") ||
               absl::StartsWith(line, "FileVault is Off")) {
      FileVaultStatus s;
      s.state = absl::StartsWith(line, "FileVault is On")
                    ? FileVaultState::kOn
                    : FileVaultState::kOff;
      s.restart_pending = absl::StrContains(line, "restart");
      if (!on_off) on_off = s;
    }
  }
  if (converting) return *converting;
  if (on_off) return *on_off;
  std::string first = FirstLine(text);
  if (first.empty()) return absl::InvalidArgumentError("empty output");
  return absl::InvalidArgumentError(
      absl::StrCat("no FileVault status line in output: '", first, "'"));
}

std::optional<bool> FileVaultEncrypted(const FileVaultStatus& status) {
  switch (status.state) {
    case FileVaultState::kOn:
      // "FileVault is On, but needs to be restarted to finish." is a
      // transition fdesetup does not explain; claiming either answer would
      // be a guess.
      if (status.restart_pending) return std::nullopt;
      return true;
    case FileVaultState::kOff:
      // Including "Off, but will be enabled after the next restart": today
      // the data is not protected.
      return false;
    case FileVaultState::kEncrypting:
      // A half-converted volume does not yet protect all data at rest.
      return false;
    case FileVaultState::kDecrypting:
      return false;
  }
  return std::nullopt;
}

v1::FactTable BuildDiskEncryptionTable(const FileVaultStatus& status) {
  facts::TableBuilder table("disk_encryption");
  table.Row()
      .Text("mount_point", "/")
      .Text("device", std::nullopt)
      .Bool("encrypted", FileVaultEncrypted(status))
      .Text("method", "filevault")
      .Bool("is_system", true);
  return table.Build();
}

}  // namespace trellis::agent::macos_facts
