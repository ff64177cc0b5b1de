// disk_encryption on Windows: BitLocker volumes from Get-BitLockerVolume
// (needs an elevated agent; the cmdlet is absent on Home editions, which
// then report the table unknown rather than "not encrypted").
#ifndef TRELLIS_AGENT_FACTS_WINDOWS_DISK_ENCRYPTION_PARSER_H_
#define TRELLIS_AGENT_FACTS_WINDOWS_DISK_ENCRYPTION_PARSER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::windows_facts {

inline constexpr char kBitLockerScript[] =
    "Get-BitLockerVolume | Select-Object "
    "MountPoint,VolumeType,ProtectionStatus,VolumeStatus,EncryptionMethod";

// The enums as numbers (Windows PowerShell prints them so; names are
// mapped when they come as strings).
struct BitLockerVolume {
  std::string mount_point;                   // "C:" or "\\?\Volume{...}\"
  std::optional<int64_t> volume_type;        // 0 OperatingSystem, 1 FixedData,
                                             // 2 Removable
  std::optional<int64_t> protection_status;  // 0 Off, 1 On, 2 Unknown
  std::optional<int64_t> volume_status;  // 0 FullyDecrypted, 1 FullyEncrypted,
                                         // 2 EncryptionInProgress, 3
                                         // DecryptionInProgress, 4/5 paused
  std::optional<int64_t> encryption_method;  // 0 None, 1..7 AES variants
};

// Parses Get-BitLockerVolume's JSON (one object or an array). No volumes
// at all is an error: every Windows machine has a system volume.
absl::StatusOr<std::vector<BitLockerVolume>> ParseBitLockerVolumes(
    absl::string_view json);

// One row per volume; see the .cc for how each column is decided.
v1::FactTable BuildDiskEncryptionTable(
    const std::vector<BitLockerVolume>& volumes);

}  // namespace trellis::agent::windows_facts

#endif  // TRELLIS_AGENT_FACTS_WINDOWS_DISK_ENCRYPTION_PARSER_H_
