#include "agent/facts/linux/disk_encryption_collector.h"

#include <map>
#include <memory>
#include <string>

#include "agent/facts/linux/linux_collectors.h"
#include "common/exec/command_runner.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/linux/fake_linux_system.h"

namespace trellis::agent::linux_facts {
namespace {

using test_support::BoolCell;
using test_support::FakeLinuxSystem;
using test_support::Fixture;
using test_support::TextCell;
using ::testing::HasSubstr;

constexpr char kLsblk[] = "lsblk --json --output NAME,KNAME,TYPE,FSTYPE";

CommandResult Ok(std::string out) {
  CommandResult r;
  r.stdout_text = std::move(out);
  return r;
}

// The sysfs of the LUKS + LVM laptop in lsblk_luks_lvm_laptop.json.
void AddLaptopSysfs(FakeLinuxSystem& system) {
  for (const char* dev : {"sda", "sda1", "nvme0n1", "nvme0n1p1", "nvme0n1p2",
                          "nvme0n1p3", "dm-0", "dm-1", "dm-2", "dm-3"}) {
    system.dirs.insert(absl::StrCat("/sys/class/block/", dev));
  }
  system.files["/sys/class/block/dm-0/dm/uuid"] =
      "CRYPT-LUKS2-4e1bc2d1a0a24f8d9d6d1d9b2a0f7c11-nvme0n1p3_crypt\n";
  system.links["/sys/class/block/dm-0/slaves/nvme0n1p3"] =
      "../../../../pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/nvme0n1/"
      "nvme0n1p3";
  for (const char* lv : {"dm-1", "dm-2", "dm-3"}) {
    system.files[absl::StrCat("/sys/class/block/", lv, "/dm/uuid")] =
        "LVM-"
        "Jd2fWq5cT0xYw7bKc3s9ZkLm8NnPp1Qr0aBcDeFgHiJkLmNoPqRsTuVwXyZ01234\n";
    system.links[absl::StrCat("/sys/class/block/", lv, "/slaves/dm-0")] =
        "../../dm-0";
  }
  system.links["/dev/mapper/laptop--vg-root"] = "../dm-1";
  system.links["/dev/mapper/laptop--vg-home"] = "../dm-3";
}

FakeLinuxSystem Laptop() {
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] =
      Fixture("disk_encryption/proc_mounts_luks_laptop.txt");
  AddLaptopSysfs(system);
  return system;
}

v1::FactTable CollectTable(FakeLinuxSystem& system, FakeCommandRunner& runner) {
  FakeClock clock;
  CollectContext ctx{&system, &runner, &clock};
  v1::FactTable table = NewDiskEncryptionCollector()->Collect(ctx);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(table).ok());
  return table;
}

// Row index by mount point, or -1.
int RowFor(const v1::FactTable& table, const std::string& mount_point) {
  for (int r = 0; r < table.rows_size(); ++r) {
    if (TextCell(table, "mount_point", r) == mount_point) return r;
  }
  return -1;
}

TEST(ParseProcMountsTest, DecodesEscapesAndKeepsOrder) {
  std::vector<MountEntry> mounts =
      ParseProcMounts(Fixture("disk_encryption/proc_mounts_luks_laptop.txt"));
  ASSERT_EQ(mounts.size(), 30u);
  EXPECT_EQ(mounts[5].device, "/dev/mapper/laptop--vg-root");
  EXPECT_EQ(mounts[5].mount_point, "/");
  EXPECT_EQ(mounts[5].fstype, "ext4");
  EXPECT_EQ(mounts[28].mount_point, "/media/alice/USB STICK");
}

TEST(ParseProcMountsTest, BackslashAndShortLines) {
  std::vector<MountEntry> mounts =
      ParseProcMounts("/dev/sdb1 /mnt/a\\134b ext4 rw 0 0\nbroken line\n\n");
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].mount_point, "/mnt/a\\b");
}

TEST(IsLocalBlockMountTest, KeepsBlockFilesystemsOnly) {
  EXPECT_TRUE(IsLocalBlockMount({"/dev/nvme0n1p2", "/boot", "ext4"}));
  EXPECT_TRUE(IsLocalBlockMount({"/dev/mapper/vg-root", "/", "xfs"}));
  EXPECT_TRUE(IsLocalBlockMount({"/dev/sda1", "/boot/efi", "vfat"}));
  EXPECT_FALSE(IsLocalBlockMount({"proc", "/proc", "proc"}));
  EXPECT_FALSE(IsLocalBlockMount({"tmpfs", "/run", "tmpfs"}));
  EXPECT_FALSE(IsLocalBlockMount({"overlay", "/", "overlay"}));
  EXPECT_FALSE(IsLocalBlockMount({"cgroup2", "/sys/fs/cgroup", "cgroup2"}));
  EXPECT_FALSE(IsLocalBlockMount({"/dev/loop0", "/snap/x/1", "squashfs"}));
  EXPECT_FALSE(IsLocalBlockMount({"nas:/export", "/mnt", "nfs4"}));
  EXPECT_FALSE(IsLocalBlockMount({"/dev/fuse", "/mnt/s", "fuse.sshfs"}));
  EXPECT_FALSE(IsLocalBlockMount({"/dev/sr0", "/media/cd", "iso9660"}));
}

TEST(ParseLsblkJsonTest, LuksUnderLvmMarksEveryDescendant) {
  auto parsed =
      ParseLsblkJson(Fixture("disk_encryption/lsblk_luks_lvm_laptop.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::map<std::string, CryptState>& m = *parsed;
  for (const char* encrypted :
       {"dm-0", "dm-1", "dm-2", "dm-3", "laptop--vg-root", "nvme0n1p3_crypt"}) {
    ASSERT_EQ(m.count(encrypted), 1u) << encrypted;
    EXPECT_TRUE(m.at(encrypted).encrypted) << encrypted;
    EXPECT_EQ(m.at(encrypted).method, "luks") << encrypted;
  }
  for (const char* plain :
       {"nvme0n1", "nvme0n1p1", "nvme0n1p2", "nvme0n1p3", "sda", "sda1"}) {
    ASSERT_EQ(m.count(plain), 1u) << plain;
    EXPECT_FALSE(m.at(plain).encrypted) << plain;
    EXPECT_EQ(m.at(plain).method, "none") << plain;
  }
}

TEST(ParseLsblkJsonTest, PlainDmCrypt) {
  auto parsed =
      ParseLsblkJson(Fixture("disk_encryption/lsblk_plain_dmcrypt.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->at("dm-0").encrypted);
  EXPECT_EQ(parsed->at("dm-0").method, "dm-crypt");
  EXPECT_EQ(parsed->at("secret").method, "dm-crypt");
  EXPECT_FALSE(parsed->at("vda").encrypted);
}

TEST(ParseLsblkJsonTest, RealVmWithoutChildren) {
  auto parsed = ParseLsblkJson(Fixture("disk_encryption/lsblk_vm.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->at("vda").encrypted);
  EXPECT_EQ(parsed->at("vda").method, "none");
}

TEST(ParseLsblkJsonTest, VolumeSpanningEncryptedAndPlainIsNotEncrypted) {
  // An LVM volume group over one LUKS PV and one bare PV: the volume shows
  // up under both parents, and half of its data is in the clear.
  constexpr char kJson[] = R"({"blockdevices": [
    {"name": "sda", "kname": "sda", "type": "disk", "fstype": "crypto_LUKS",
     "children": [{"name": "pv_crypt", "kname": "dm-0", "type": "crypt",
       "fstype": "LVM2_member",
       "children": [{"name": "vg-data", "kname": "dm-2", "type": "lvm",
                     "fstype": "ext4"}]}]},
    {"name": "sdb", "kname": "sdb", "type": "disk", "fstype": "LVM2_member",
     "children": [{"name": "vg-data", "kname": "dm-2", "type": "lvm",
                   "fstype": "ext4"}]}]})";
  auto parsed = ParseLsblkJson(kJson);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->at("dm-2").encrypted);
  EXPECT_EQ(parsed->at("dm-2").method, std::nullopt);
  EXPECT_TRUE(parsed->at("dm-0").encrypted);
}

TEST(ParseLsblkJsonTest, MalformedInputIsAnError) {
  EXPECT_FALSE(
      ParseLsblkJson(Fixture("disk_encryption/lsblk_truncated.json")).ok());
  EXPECT_FALSE(ParseLsblkJson("").ok());
  EXPECT_FALSE(ParseLsblkJson("{}").ok());
  EXPECT_FALSE(ParseLsblkJson(R"({"blockdevices": {}})").ok());
  EXPECT_FALSE(ParseLsblkJson(R"({"blockdevices": [{"name": "x"}]})").ok());
  EXPECT_FALSE(ParseLsblkJson(R"({"blockdevices": [42]})").ok());
  // Empty list: a machine with no block devices (some containers) is fine.
  auto empty = ParseLsblkJson(R"({"blockdevices": []})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(CryptMethodFromDmUuidTest, NamesTheTarget) {
  EXPECT_EQ(CryptMethodFromDmUuid("CRYPT-LUKS2-4e1b-root\n"), "luks");
  EXPECT_EQ(CryptMethodFromDmUuid("CRYPT-LUKS1-4e1b-root"), "luks");
  EXPECT_EQ(CryptMethodFromDmUuid("CRYPT-PLAIN-secret"), "dm-crypt");
  EXPECT_EQ(CryptMethodFromDmUuid("CRYPT-BITLK-abc-win"), "dm-crypt");
  EXPECT_EQ(CryptMethodFromDmUuid("CRYPT-SUBDEV-abc-root_dif"), std::nullopt);
  EXPECT_EQ(CryptMethodFromDmUuid("LVM-abcdef"), std::nullopt);
  EXPECT_EQ(CryptMethodFromDmUuid(""), std::nullopt);
}

TEST(SysfsCryptStateTest, FollowsSlavesToTheCryptMapping) {
  FakeLinuxSystem system;
  AddLaptopSysfs(system);
  auto root = SysfsCryptState(system, "dm-1");
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_TRUE(root->encrypted);
  EXPECT_EQ(root->method, "luks");
  auto boot = SysfsCryptState(system, "nvme0n1p2");
  ASSERT_TRUE(boot.ok());
  EXPECT_FALSE(boot->encrypted);
  EXPECT_EQ(boot->method, "none");
  EXPECT_EQ(SysfsCryptState(system, "sdz").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(SysfsCryptState(system, "../../etc").ok());
}

TEST(SysfsCryptStateTest, LoopInSlavesIsAnErrorNotAHang) {
  FakeLinuxSystem system;
  system.links["/sys/class/block/dm-0/slaves/dm-1"] = "../../dm-1";
  system.links["/sys/class/block/dm-1/slaves/dm-0"] = "../../dm-0";
  EXPECT_FALSE(SysfsCryptState(system, "dm-0").ok());
}

TEST(DiskEncryptionCollectorTest, LuksLaptopWithBothSources) {
  FakeLinuxSystem system = Laptop();
  FakeCommandRunner runner;
  runner.Set(kLsblk, Ok(Fixture("disk_encryption/lsblk_luks_lvm_laptop.json")));
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  // /, /boot, /home, /boot/efi and the USB stick; no pseudo, snap or NFS.
  ASSERT_EQ(table.rows_size(), 5);
  EXPECT_EQ(TextCell(table, "mount_point", 0), "/");
  EXPECT_EQ(TextCell(table, "device", 0), "/dev/mapper/laptop--vg-root");
  EXPECT_EQ(BoolCell(table, "encrypted", 0), true);
  EXPECT_EQ(TextCell(table, "method", 0), "luks");
  EXPECT_EQ(BoolCell(table, "is_system", 0), true);

  int home = RowFor(table, "/home");
  ASSERT_GE(home, 0);
  EXPECT_EQ(BoolCell(table, "encrypted", home), true);
  EXPECT_EQ(TextCell(table, "method", home), "luks");
  EXPECT_EQ(BoolCell(table, "is_system", home), false);

  for (const char* plain : {"/boot", "/boot/efi", "/media/alice/USB STICK"}) {
    int r = RowFor(table, plain);
    ASSERT_GE(r, 0) << plain;
    EXPECT_EQ(BoolCell(table, "encrypted", r), false) << plain;
    EXPECT_EQ(TextCell(table, "method", r), "none") << plain;
  }
  EXPECT_EQ(RowFor(table, "/snap/core22/1380"), -1);
  EXPECT_EQ(RowFor(table, "/mnt/media"), -1);
}

TEST(DiskEncryptionCollectorTest, SysfsAloneWhenLsblkMissing) {
  FakeLinuxSystem system = Laptop();
  FakeCommandRunner runner;  // no lsblk
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(table.rows_size(), 5);
  EXPECT_EQ(BoolCell(table, "encrypted", 0), true);
  EXPECT_EQ(TextCell(table, "method", 0), "luks");
  EXPECT_EQ(BoolCell(table, "encrypted", RowFor(table, "/boot")), false);
}

TEST(DiskEncryptionCollectorTest, LsblkAloneWhenSysfsUnreadable) {
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] =
      Fixture("disk_encryption/proc_mounts_luks_laptop.txt");
  system.links["/dev/mapper/laptop--vg-root"] = "../dm-1";
  FakeCommandRunner runner;
  runner.Set(kLsblk, Ok(Fixture("disk_encryption/lsblk_luks_lvm_laptop.json")));
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(BoolCell(table, "encrypted", 0), true);
  // /home has no /dev/mapper link here: found by its mapper NAME instead.
  int home = RowFor(table, "/home");
  EXPECT_EQ(BoolCell(table, "encrypted", home), true);
  EXPECT_EQ(TextCell(table, "method", home), "luks");
}

TEST(DiskEncryptionCollectorTest, KernelUuidNamesLuksWhereLsblkCouldNotProbe) {
  // Without udev data lsblk leaves FSTYPE empty, so it only knows "crypt";
  // the dm uuid says LUKS.
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] = "/dev/mapper/secret /data ext4 rw 0 0\n";
  system.links["/dev/mapper/secret"] = "../dm-0";
  system.dirs.insert("/sys/class/block/vdb");
  system.dirs.insert("/sys/class/block/dm-0");
  system.files["/sys/class/block/dm-0/dm/uuid"] = "CRYPT-LUKS2-abcd-secret\n";
  FakeCommandRunner runner;
  runner.Set(kLsblk, Ok(Fixture("disk_encryption/lsblk_plain_dmcrypt.json")));
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(BoolCell(table, "encrypted"), true);
  EXPECT_EQ(TextCell(table, "method"), "luks");
  EXPECT_EQ(BoolCell(table, "is_system"), false);
}

TEST(DiskEncryptionCollectorTest, SourcesDisagreeingGiveNullNotAGuess) {
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] = "/dev/mapper/secret / ext4 rw 0 0\n";
  system.links["/dev/mapper/secret"] = "../dm-0";
  system.dirs.insert("/sys/class/block/dm-0");  // sysfs: no crypt target
  FakeCommandRunner runner;
  runner.Set(kLsblk, Ok(Fixture("disk_encryption/lsblk_plain_dmcrypt.json")));
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(BoolCell(table, "encrypted"), std::nullopt);
  EXPECT_EQ(TextCell(table, "method"), std::nullopt);
  EXPECT_EQ(BoolCell(table, "is_system"), true);
}

TEST(DiskEncryptionCollectorTest, UnresolvableDeviceIsNull) {
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] = "/dev/root / ext4 rw 0 0\n";
  system.dirs.insert("/sys/class/block/vda");
  FakeCommandRunner runner;
  runner.Set(kLsblk, Ok(Fixture("disk_encryption/lsblk_vm.json")));
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(TextCell(table, "device"), "/dev/root");
  EXPECT_EQ(BoolCell(table, "encrypted"), std::nullopt);
}

TEST(DiskEncryptionCollectorTest, RealVmRecording) {
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] =
      Fixture("disk_encryption/proc_mounts_vm.txt");
  system.dirs.insert("/sys/class/block/vda");
  system.dirs.insert("/sys/class/block/vda/slaves");
  FakeCommandRunner runner;
  runner.Set(kLsblk, Ok(Fixture("disk_encryption/lsblk_vm.json")));
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(TextCell(table, "mount_point"), "/");
  EXPECT_EQ(TextCell(table, "device"), "/dev/vda");
  EXPECT_EQ(BoolCell(table, "encrypted"), false);
  EXPECT_EQ(TextCell(table, "method"), "none");
  EXPECT_EQ(BoolCell(table, "is_system"), true);
}

TEST(DiskEncryptionCollectorTest, MountedOverKeepsTheTopMount) {
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] =
      "/dev/vda / ext4 rw 0 0\n/dev/vdb /data ext4 rw 0 0\n"
      "/dev/mapper/secret /data ext4 rw 0 0\n";
  system.links["/dev/mapper/secret"] = "../dm-0";
  FakeCommandRunner runner;
  runner.Set(kLsblk, Ok(Fixture("disk_encryption/lsblk_plain_dmcrypt.json")));
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.rows_size(), 2);
  EXPECT_EQ(TextCell(table, "mount_point", 1), "/data");
  EXPECT_EQ(TextCell(table, "device", 1), "/dev/mapper/secret");
  EXPECT_EQ(BoolCell(table, "encrypted", 1), true);
}

TEST(DiskEncryptionCollectorTest, NoLocalFilesystemsIsZeroRows) {
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] =
      "overlay / overlay rw 0 0\nproc /proc proc rw 0 0\n";
  FakeCommandRunner runner;
  runner.Set(kLsblk, Ok(R"({"blockdevices": []})"));
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(table.rows_size(), 0);
}

TEST(DiskEncryptionCollectorTest, LsblkMissingAndNoSysfsIsUnknown) {
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] = "/dev/vda / ext4 rw 0 0\n";
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("lsblk not installed"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("/sys/class/block"));
}

TEST(DiskEncryptionCollectorTest, LsblkTimeoutAndNoSysfsIsUnknown) {
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] = "/dev/vda / ext4 rw 0 0\n";
  FakeCommandRunner runner;
  runner.SetError(kLsblk, absl::DeadlineExceededError("killed"));
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("lsblk timed out"));
}

TEST(DiskEncryptionCollectorTest, LsblkErrorAndTruncatedOutputAreReported) {
  FakeLinuxSystem system;
  system.files["/proc/self/mounts"] = "/dev/vda / ext4 rw 0 0\n";
  FakeCommandRunner runner;
  CommandResult failed;
  failed.exit_code = 32;
  failed.stderr_text = Fixture("disk_encryption/lsblk_no_sysfs_stderr.txt");
  runner.Set(kLsblk, failed);
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("exited with status 32"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("/sys/dev/block"));

  FakeCommandRunner truncated;
  truncated.Set(kLsblk, Ok(Fixture("disk_encryption/lsblk_truncated.json")));
  table = CollectTable(system, truncated);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("unparseable"));
}

TEST(DiskEncryptionCollectorTest, UnreadableMountsIsUnknown) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("/proc/self/mounts"));
}

TEST(DiskEncryptionCollectorTest, RealMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable table = NewDiskEncryptionCollector()->Collect(ctx);
  test_support::ExpectValidRealTable(table, "disk_encryption");
}

}  // namespace
}  // namespace trellis::agent::linux_facts
