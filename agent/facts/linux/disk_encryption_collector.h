// disk_encryption on Linux: one row per mounted local block filesystem
// (/proc/self/mounts), encrypted when its device is, or sits on, a dm-crypt
// mapping. Two views are combined: lsblk's device tree (a device is
// encrypted when it or an ancestor has TYPE "crypt"), and the kernel's own
// device-mapper data in sysfs (/sys/class/block/dm-N/dm/uuid names the
// target, "CRYPT-LUKS2-..."; slaves/ names the parents). When both answer
// they must agree; a disagreement is reported as NULL, not guessed.
//
// Not covered: fscrypt (per-directory ext4/f2fs encryption), ZFS native
// encryption and eCryptfs; their mounts are not block devices or look
// unencrypted here.
#ifndef TRELLIS_AGENT_FACTS_LINUX_DISK_ENCRYPTION_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_DISK_ENCRYPTION_COLLECTOR_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/facts/system_source.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

struct MountEntry {
  std::string device;  // e.g. /dev/mapper/vg-root, /dev/nvme0n1p2
  std::string mount_point;
  std::string fstype;
};

// /proc/self/mounts lines, octal escapes (\040 for space) decoded.
// Malformed lines are skipped.
std::vector<MountEntry> ParseProcMounts(absl::string_view text);

// True for a filesystem on a local block device (source under /dev/),
// false for pseudo filesystems (proc, tmpfs, cgroup, overlay...),
// read-only images (squashfs, iso9660) and network or FUSE mounts.
bool IsLocalBlockMount(const MountEntry& mount);

struct CryptState {
  bool encrypted = false;
  // "luks" or "dm-crypt" when encrypted, "none" when not; NULL when the
  // device sits partly on encrypted and partly on plain storage (an LVM
  // volume spanning both), which is neither.
  std::optional<std::string> method;
};

// `lsblk --json --output NAME,KNAME,TYPE,FSTYPE` (the default tree: holders
// nested in "children") -> state per kernel device name (KNAME, e.g. dm-1)
// and also per NAME (the mapper name, e.g. vg-root). A crypt device whose
// parent has FSTYPE crypto_LUKS is "luks", any other crypt is "dm-crypt".
// Error on malformed or truncated JSON.
absl::StatusOr<std::map<std::string, CryptState>> ParseLsblkJson(
    absl::string_view json);

// "luks" for CRYPT-LUKS1-/CRYPT-LUKS2- uuids, "dm-crypt" for other CRYPT-
// targets (PLAIN, BITLK, TCRYPT...), nullopt when the mapping is not a
// crypt target (LVM-..., mpath-...).
std::optional<std::string> CryptMethodFromDmUuid(absl::string_view uuid);

// The sysfs view for one kernel device name: the device's own dm uuid, then
// its parents (slaves/) recursively. NotFound when sysfs has no such device.
absl::StatusOr<CryptState> SysfsCryptState(SystemSource& system,
                                           const std::string& kname);

struct EncryptionRow {
  std::string mount_point;
  std::string device;
  std::optional<bool> encrypted;
  std::optional<std::string> method;
  bool is_system = false;
};

v1::FactTable DiskEncryptionTable(const std::vector<EncryptionRow>& rows);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_DISK_ENCRYPTION_COLLECTOR_H_
