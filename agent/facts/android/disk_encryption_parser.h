// disk_encryption on Android: the userdata partition (/data), from
// ro.crypto.state and ro.crypto.type.
#ifndef TRELLIS_AGENT_FACTS_ANDROID_DISK_ENCRYPTION_PARSER_H_
#define TRELLIS_AGENT_FACTS_ANDROID_DISK_ENCRYPTION_PARSER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::android_facts {

struct DataEncryption {
  bool encrypted = false;
  // 'fbe' (file-based, ro.crypto.type=file), 'dm-crypt' (full-disk,
  // type=block), 'none' when unencrypted; nullopt for an encrypted device
  // that does not say how.
  std::optional<std::string> method;
};

// state: "encrypted", "unencrypted" or "unsupported". An unset or other
// state is an error: it cannot be read as "not encrypted".
absl::StatusOr<DataEncryption> InterpretCryptoProps(
    const std::optional<std::string>& state,
    const std::optional<std::string>& type);

// One row: mount_point '/data', device NULL, is_system true. /data is not
// the partition Android boots from, but it is the one that holds the
// user's data and apps and the only one encrypted; the read-only system
// partitions are integrity-checked (dm-verity), not encrypted. Marking it
// the system volume is what lets "is the system volume encrypted" policies
// mean the same thing on phones as on desktops.
v1::FactTable BuildDiskEncryptionTable(const DataEncryption& data);

}  // namespace trellis::agent::android_facts

#endif  // TRELLIS_AGENT_FACTS_ANDROID_DISK_ENCRYPTION_PARSER_H_
