#include "agent/facts/windows/disk_encryption_parser.h"

#include "absl/status/status.h"
#include "agent/facts/windows/powershell.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {
namespace {

constexpr int64_t kOperatingSystemVolume = 0;
constexpr int64_t kProtectionOff = 0;
constexpr int64_t kProtectionOn = 1;
constexpr int64_t kFullyDecrypted = 0;
constexpr int64_t kNoEncryptionMethod = 0;

}  // namespace

absl::StatusOr<std::vector<BitLockerVolume>> ParseBitLockerVolumes(
    absl::string_view json) {
  absl::StatusOr<std::vector<google::protobuf::Struct>> objects =
      ParsePowerShellObjects(json);
  if (!objects.ok()) return objects.status();
  if (objects->empty()) {
    return absl::InvalidArgumentError("no volumes listed");
  }
  std::vector<BitLockerVolume> volumes;
  for (const google::protobuf::Struct& o : *objects) {
    BitLockerVolume v;
    std::optional<std::string> mount = GetString(o, "MountPoint");
    if (!mount || mount->empty()) {
      return absl::InvalidArgumentError("a volume has no MountPoint");
    }
    v.mount_point = *mount;
    v.volume_type = GetEnum(o, "VolumeType",
                            {{"OperatingSystem", 0},
                             {"FixedData", 1},
                             {"Data", 1},
                             {"Removable", 2}});
    v.protection_status =
        GetEnum(o, "ProtectionStatus", {{"Off", 0}, {"On", 1}, {"Unknown", 2}});
    v.volume_status = GetEnum(o, "VolumeStatus",
                              {{"FullyDecrypted", 0},
                               {"FullyEncrypted", 1},
                               {"EncryptionInProgress", 2},
                               {"DecryptionInProgress", 3},
                               {"EncryptionSuspended", 4},
                               {"DecryptionSuspended", 5}});
    v.encryption_method = GetEnum(o, "EncryptionMethod",
                                  {{"None", 0},
                                   {"Aes128Diffuser", 1},
                                   {"Aes256Diffuser", 2},
                                   {"Aes128", 3},
                                   {"Aes256", 4},
                                   {"Hardware", 5},
                                   {"XtsAes128", 6},
                                   {"XtsAes256", 7}});
    volumes.push_back(std::move(v));
  }
  return volumes;
}

v1::FactTable BuildDiskEncryptionTable(
    const std::vector<BitLockerVolume>& volumes) {
  facts::TableBuilder table("disk_encryption");
  for (const BitLockerVolume& v : volumes) {
    // Encrypted means protected: with protection suspended (Off on a fully
    // encrypted volume) the key sits in the clear on the disk, so the data
    // is readable by anyone holding the disk. ProtectionStatus Unknown (a
    // locked volume) is left NULL.
    std::optional<bool> encrypted;
    if (v.protection_status == kProtectionOn) encrypted = true;
    if (v.protection_status == kProtectionOff) encrypted = false;
    // BitLocker is in use unless the volume is fully decrypted; when the
    // status is missing the method field decides.
    std::optional<std::string> method;
    if (v.volume_status) {
      method = *v.volume_status == kFullyDecrypted ? "none" : "bitlocker";
    } else if (v.encryption_method) {
      method =
          *v.encryption_method == kNoEncryptionMethod ? "none" : "bitlocker";
    }
    std::optional<bool> is_system;
    if (v.volume_type) is_system = *v.volume_type == kOperatingSystemVolume;
    table.Row()
        .Text("mount_point", v.mount_point)
        .Text("device", std::nullopt)
        .Bool("encrypted", encrypted)
        .Text("method", method)
        .Bool("is_system", is_system);
  }
  return table.Build();
}

}  // namespace trellis::agent::windows_facts
