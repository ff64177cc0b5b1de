#include "agent/facts/linux/disk_encryption_collector.h"

#include <memory>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/facts/table_builder.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace trellis::agent::linux_facts {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr char kTable[] = "disk_encryption";

// Deep enough for disk -> part -> crypt -> lvm -> crypt and then some; a
// deeper chain is a loop in a corrupt or hostile sysfs.
constexpr int kMaxDepth = 16;

// Decodes the \ooo octal escapes the kernel writes for space, tab,
// newline and backslash in mount paths.
std::string Unescape(absl::string_view field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && field[i + 1] >= '0' &&
        field[i + 1] <= '3' && field[i + 2] >= '0' && field[i + 2] <= '7' &&
        field[i + 3] >= '0' && field[i + 3] <= '7') {
      out.push_back(static_cast<char>((field[i + 1] - '0') * 64 +
                                      (field[i + 2] - '0') * 8 +
                                      (field[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

std::string StringField(const Struct& s, const char* key) {
  auto it = s.fields().find(key);
  if (it == s.fields().end() || it->second.kind_case() != Value::kStringValue) {
    return "";
  }
  return it->second.string_value();
}

// Folds a second sighting of the same device (one per parent when it spans
// several, e.g. an LVM volume over two PVs) into the first: it is only
// encrypted when every path to storage is.
void Merge(const CryptState& next, CryptState* into) {
  if (into->encrypted != next.encrypted) {
    into->encrypted = false;
    into->method = std::nullopt;
  } else if (into->method != next.method) {
    into->method = std::nullopt;
  }
}

void Record(const std::string& key, const CryptState& state,
            std::map<std::string, CryptState>* out) {
  if (key.empty()) return;
  auto [it, inserted] = out->emplace(key, state);
  if (!inserted) Merge(state, &it->second);
}

absl::Status Walk(const Value& node,
                  const std::optional<std::string>& inherited,
                  const std::string& parent_fstype, int depth,
                  std::map<std::string, CryptState>* out) {
  if (depth > kMaxDepth) {
    return absl::InvalidArgumentError("lsblk device tree too deep");
  }
  if (node.kind_case() != Value::kStructValue) {
    return absl::InvalidArgumentError("lsblk JSON: device is not an object");
  }
  const Struct& device = node.struct_value();
  std::string kname = StringField(device, "kname");
  std::string type = StringField(device, "type");
  if (kname.empty() || type.empty()) {
    return absl::InvalidArgumentError(
        "lsblk JSON: device without kname or type");
  }
  std::optional<std::string> method = inherited;
  if (type == "crypt" && !method) {
    method = parent_fstype == "crypto_LUKS" ? "luks" : "dm-crypt";
  }
  CryptState state;
  state.encrypted = method.has_value();
  state.method = method ? *method : "none";
  Record(kname, state, out);
  std::string name = StringField(device, "name");
  if (name != kname) Record(name, state, out);
  auto children = device.fields().find("children");
  if (children == device.fields().end()) return absl::OkStatus();
  if (children->second.kind_case() != Value::kListValue) {
    return absl::InvalidArgumentError("lsblk JSON: children is not a list");
  }
  std::string fstype = StringField(device, "fstype");
  for (const Value& child : children->second.list_value().values()) {
    absl::Status s = Walk(child, method, fstype, depth + 1, out);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<CryptState> SysfsWalk(SystemSource& system,
                                     const std::string& kname, int depth) {
  if (depth > kMaxDepth) {
    return absl::InvalidArgumentError(
        absl::StrCat("sysfs device chain too deep at ", kname));
  }
  // Kernel names never contain '/'; one that does would escape sysfs.
  if (kname.empty() || absl::StrContains(kname, '/') || kname == "." ||
      kname == "..") {
    return absl::InvalidArgumentError(absl::StrCat("bad device name ", kname));
  }
  std::string dir = absl::StrCat("/sys/class/block/", kname);
  absl::StatusOr<std::vector<std::string>> entries = system.ListDirectory(dir);
  if (!entries.ok()) {
    return absl::NotFoundError(absl::StrCat("no ", dir, " in sysfs"));
  }
  absl::StatusOr<std::string> uuid = system.ReadFile(dir + "/dm/uuid");
  if (uuid.ok()) {
    std::optional<std::string> method = CryptMethodFromDmUuid(*uuid);
    if (method) return CryptState{true, method};
  }
  absl::StatusOr<std::vector<std::string>> slaves =
      system.ListDirectory(dir + "/slaves");
  if (!slaves.ok() || slaves->empty()) return CryptState{false, "none"};
  std::optional<CryptState> combined;
  for (const std::string& parent : *slaves) {
    absl::StatusOr<CryptState> state = SysfsWalk(system, parent, depth + 1);
    if (!state.ok()) return state.status();
    if (!combined) {
      combined = *state;
    } else {
      Merge(*state, &*combined);
    }
  }
  return *combined;
}

// The kernel name of a mount source: /dev/mapper/x, /dev/vg/lv and
// /dev/disk/by-*/... are symbolic links to it; /dev/sda1 is itself.
std::string KernelName(SystemSource& system, const std::string& device) {
  std::string path = device;
  absl::StatusOr<std::string> target = system.ReadLink(device);
  if (target.ok()) path = *target;
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string CommandFailure(const char* what,
                           const absl::StatusOr<CommandResult>& result) {
  if (!result.ok()) {
    if (absl::IsNotFound(result.status())) {
      return absl::StrCat(what, " not installed");
    }
    if (absl::IsDeadlineExceeded(result.status())) {
      return absl::StrCat(what, " timed out");
    }
    return absl::StrCat(what, " failed: ", result.status().message());
  }
  return absl::StrCat(
      what, " exited with status ", result->exit_code, ": ",
      absl::StripAsciiWhitespace(result->stderr_text).substr(0, 200));
}

class DiskEncryptionCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    SystemSource& system = *ctx.system;
    absl::StatusOr<std::string> mounts_text =
        system.ReadFile("/proc/self/mounts");
    if (!mounts_text.ok()) {
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("cannot read /proc/self/mounts: ",
                               mounts_text.status().message()));
    }
    std::vector<MountEntry> mounts;
    for (MountEntry& m : ParseProcMounts(*mounts_text)) {
      if (IsLocalBlockMount(m)) mounts.push_back(std::move(m));
    }

    std::optional<std::map<std::string, CryptState>> lsblk;
    std::string lsblk_failure;
    absl::StatusOr<CommandResult> run = ctx.runner->Run(
        {"lsblk", "--json", "--output", "NAME,KNAME,TYPE,FSTYPE"},
        ctx.command_timeout);
    if (run.ok() && run->exit_code == 0) {
      absl::StatusOr<std::map<std::string, CryptState>> parsed =
          ParseLsblkJson(run->stdout_text);
      if (parsed.ok()) {
        lsblk = *std::move(parsed);
      } else {
        lsblk_failure = absl::StrCat("lsblk output unparseable: ",
                                     parsed.status().message());
      }
    } else {
      lsblk_failure = CommandFailure("lsblk", run);
    }
    bool sysfs = system.ListDirectory("/sys/class/block").ok();
    if (!lsblk && !sysfs) {
      return facts::TableBuilder::Unknown(
          kTable,
          absl::StrCat(lsblk_failure, " and /sys/class/block is unreadable"));
    }

    // A mount point mounted over is listed again later; the later mount is
    // the one in effect.
    std::vector<EncryptionRow> rows;
    std::map<std::string, size_t> by_mount_point;
    for (const MountEntry& m : mounts) {
      EncryptionRow row;
      row.mount_point = m.mount_point;
      row.device = m.device;
      row.is_system = m.mount_point == "/";
      std::string kname = KernelName(system, m.device);
      std::optional<CryptState> from_lsblk;
      if (lsblk) {
        auto it = lsblk->find(kname);
        if (it == lsblk->end() && absl::StartsWith(m.device, "/dev/mapper/")) {
          it = lsblk->find(m.device.substr(12));
        }
        if (it != lsblk->end()) from_lsblk = it->second;
      }
      std::optional<CryptState> from_sysfs;
      if (sysfs) {
        absl::StatusOr<CryptState> s = SysfsCryptState(system, kname);
        if (s.ok()) from_sysfs = *s;
      }
      if (from_lsblk && from_sysfs) {
        // The kernel's dm uuid tells LUKS from plain even where lsblk could
        // not probe the parent's FSTYPE, so its method wins when the two
        // agree on whether the data is encrypted.
        if (from_lsblk->encrypted == from_sysfs->encrypted) {
          row.encrypted = from_sysfs->encrypted;
          row.method = from_sysfs->method;
        }
      } else if (from_lsblk || from_sysfs) {
        const CryptState& s = from_lsblk ? *from_lsblk : *from_sysfs;
        row.encrypted = s.encrypted;
        row.method = s.method;
      }
      auto [it, inserted] = by_mount_point.emplace(m.mount_point, rows.size());
      if (inserted) {
        rows.push_back(std::move(row));
      } else {
        rows[it->second] = std::move(row);
      }
    }
    return DiskEncryptionTable(rows);
  }
};

}  // namespace

std::vector<MountEntry> ParseProcMounts(absl::string_view text) {
  std::vector<MountEntry> out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::vector<absl::string_view> f =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (f.size() < 3) continue;
    out.push_back({Unescape(f[0]), Unescape(f[1]), std::string(f[2])});
  }
  return out;
}

bool IsLocalBlockMount(const MountEntry& mount) {
  if (!absl::StartsWith(mount.device, "/dev/")) return false;
  static const std::set<std::string>* const kSkipped =
      new std::set<std::string>{
          "proc",        "sysfs",     "tmpfs",    "devtmpfs",   "devpts",
          "cgroup",      "cgroup2",   "overlay",  "squashfs",   "nsfs",
          "mqueue",      "hugetlbfs", "debugfs",  "tracefs",    "securityfs",
          "pstore",      "bpf",       "configfs", "fusectl",    "autofs",
          "binfmt_misc", "efivarfs",  "ramfs",    "rpc_pipefs", "iso9660",
          "udf",         "selinuxfs", "nfs",      "nfs4",       "cifs",
          "smb3",        "9p",        "virtiofs", "erofs"};
  if (kSkipped->count(mount.fstype) > 0) return false;
  // fuse.sshfs, fuse.gvfsd-fuse...: userspace, not a block filesystem.
  if (absl::StartsWith(mount.fstype, "fuse")) return false;
  return true;
}

absl::StatusOr<std::map<std::string, CryptState>> ParseLsblkJson(
    absl::string_view json) {
  Struct root;
  auto status =
      google::protobuf::util::JsonStringToMessage(std::string(json), &root);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("lsblk JSON: ", status.ToString()));
  }
  auto devices = root.fields().find("blockdevices");
  if (devices == root.fields().end() ||
      devices->second.kind_case() != Value::kListValue) {
    return absl::InvalidArgumentError("lsblk JSON: no blockdevices list");
  }
  std::map<std::string, CryptState> out;
  for (const Value& device : devices->second.list_value().values()) {
    absl::Status s = Walk(device, std::nullopt, "", 0, &out);
    if (!s.ok()) return s;
  }
  return out;
}

std::optional<std::string> CryptMethodFromDmUuid(absl::string_view uuid) {
  uuid = absl::StripAsciiWhitespace(uuid);
  if (!absl::StartsWith(uuid, "CRYPT-")) return std::nullopt;
  if (absl::StartsWith(uuid, "CRYPT-LUKS1-") ||
      absl::StartsWith(uuid, "CRYPT-LUKS2-")) {
    return "luks";
  }
  // LUKS2 with authenticated encryption puts a dm-integrity helper under
  // the crypt mapping; the helper itself encrypts nothing.
  if (absl::StartsWith(uuid, "CRYPT-SUBDEV-")) return std::nullopt;
  // CRYPT-PLAIN-, CRYPT-BITLK-, CRYPT-TCRYPT-, CRYPT-LOOPAES-...
  return "dm-crypt";
}

absl::StatusOr<CryptState> SysfsCryptState(SystemSource& system,
                                           const std::string& kname) {
  return SysfsWalk(system, kname, 0);
}

v1::FactTable DiskEncryptionTable(const std::vector<EncryptionRow>& rows) {
  facts::TableBuilder b(kTable);
  for (const EncryptionRow& r : rows) {
    b.Row()
        .Text("mount_point", r.mount_point)
        .Text("device", r.device)
        .Bool("encrypted", r.encrypted)
        .Text("method", r.method)
        .Bool("is_system", r.is_system);
  }
  return b.Build();
}

std::unique_ptr<Collector> NewDiskEncryptionCollector() {
  return std::make_unique<DiskEncryptionCollector>();
}

}  // namespace trellis::agent::linux_facts
