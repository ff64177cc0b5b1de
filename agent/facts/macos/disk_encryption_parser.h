// disk_encryption on macOS: `fdesetup status` for FileVault on the startup
// volume.
#ifndef TRELLIS_AGENT_FACTS_MACOS_DISK_ENCRYPTION_PARSER_H_
#define TRELLIS_AGENT_FACTS_MACOS_DISK_ENCRYPTION_PARSER_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::macos_facts {

enum class FileVaultState {
  kOn,          // "FileVault is On."
  kOff,         // "FileVault is Off."
  kEncrypting,  // "Encryption in progress: Percent completed = 42.1"
  kDecrypting,  // "Decryption in progress: Percent completed = 57.3"
};

struct FileVaultStatus {
  FileVaultState state = FileVaultState::kOff;
  // From "Percent completed = N" while converting.
  std::optional<double> percent_completed;
  // "..., but needs to be restarted to finish." / "..., but will be enabled
  // after the next restart.": the state line is not final yet.
  bool restart_pending = false;
};

// Parses `fdesetup status`. A conversion line wins over the On/Off line
// that may precede it; extra lines (deferred enablement, master keychain
// notices) are ignored. Output with neither is an error.
absl::StatusOr<FileVaultStatus> ParseFdesetupStatus(absl::string_view text);

// Whether the startup volume is encrypted at rest, or nullopt when the
// status cannot say (see the .cc for each case).
std::optional<bool> FileVaultEncrypted(const FileVaultStatus& status);

// One row for "/": device NULL (fdesetup does not name it), method
// 'filevault', is_system true.
v1::FactTable BuildDiskEncryptionTable(const FileVaultStatus& status);

}  // namespace trellis::agent::macos_facts

#endif  // TRELLIS_AGENT_FACTS_MACOS_DISK_ENCRYPTION_PARSER_H_
