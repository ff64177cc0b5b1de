#include "agent/facts/windows/disk_encryption_parser.h"
#include "agent/facts/windows/windows_collectors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/windows/windows_test_util.h"

namespace trellis::agent::windows_facts {
namespace {

using ::testing::HasSubstr;
using windows_test::CollectChecked;
using windows_test::Fixture;
using windows_test::Key;
using windows_test::Ok;
using windows_test::Result;
using windows_test::RowString;

TEST(WindowsBitLockerTest, SingleObjectForTheOnlyVolume) {
  auto v = ParseBitLockerVolumes(Fixture("bitlocker_single_os_volume.json"));
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->size(), 1u);
  EXPECT_EQ(RowString(BuildDiskEncryptionTable(*v), 0),
            "mount_point=C: device=NULL encrypted=true method=bitlocker "
            "is_system=true");
}

TEST(WindowsBitLockerTest, SeveralVolumesInEveryState) {
  auto v = ParseBitLockerVolumes(Fixture("bitlocker_multi.json"));
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->size(), 4u);
  v1::FactTable t = BuildDiskEncryptionTable(*v);
  ASSERT_EQ(t.rows_size(), 4);
  EXPECT_EQ(RowString(t, 0),
            "mount_point=C: device=NULL encrypted=true method=bitlocker "
            "is_system=true");
  EXPECT_EQ(RowString(t, 1),
            "mount_point=D: device=NULL encrypted=false method=none "
            "is_system=false");
  // Encryption in progress: BitLocker, but not yet protecting.
  EXPECT_EQ(RowString(t, 2),
            "mount_point=E: device=NULL encrypted=false method=bitlocker "
            "is_system=false");
  // A locked volume without a drive letter: status unknown, so NULL.
  EXPECT_EQ(RowString(t, 3),
            "mount_point=\\\\?\\Volume{0b7d8a3c-5f21-4c8e-9d0e-2a1f6c3b9e41}\\ "
            "device=NULL encrypted=NULL method=NULL is_system=false");
}

TEST(WindowsBitLockerTest, SuspendedProtectionIsNotEncryptedAtRest) {
  auto v = ParseBitLockerVolumes(Fixture("bitlocker_suspended.json"));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(RowString(BuildDiskEncryptionTable(*v), 0),
            "mount_point=C: device=NULL encrypted=false method=bitlocker "
            "is_system=true");
}

TEST(WindowsBitLockerTest, EnumNamesAsPowerShell7PrintsThem) {
  auto v = ParseBitLockerVolumes(Fixture("bitlocker_enum_names_ps7.json"));
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->size(), 2u);
  EXPECT_EQ((*v)[0].volume_type, 0);
  EXPECT_EQ((*v)[0].protection_status, 1);
  EXPECT_EQ((*v)[0].encryption_method, 7);
  v1::FactTable t = BuildDiskEncryptionTable(*v);
  EXPECT_EQ(RowString(t, 1),
            "mount_point=D: device=NULL encrypted=false method=none "
            "is_system=false");
}

TEST(WindowsBitLockerTest, OddOutputsAreErrors) {
  EXPECT_THAT(ParseBitLockerVolumes("").status().message(),
              HasSubstr("no volumes"));
  EXPECT_FALSE(ParseBitLockerVolumes(Fixture("bitlocker_truncated.json")).ok());
  EXPECT_THAT(ParseBitLockerVolumes(R"({"VolumeType": 0})").status().message(),
              HasSubstr("no MountPoint"));
  EXPECT_FALSE(
      ParseBitLockerVolumes(Fixture("bitlocker_not_recognized_de.txt")).ok());
}

TEST(WindowsDiskEncryptionCollectorTest, HappyPath) {
  FakeCommandRunner runner;
  runner.Set(Key(kBitLockerScript), Ok(Fixture("bitlocker_multi.json")));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(t.rows_size(), 4);
}

TEST(WindowsDiskEncryptionCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("Get-BitLockerVolume (PowerShell): powershell.exe"));
}

TEST(WindowsDiskEncryptionCollectorTest, CmdletMissingOnHomeEditionIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kBitLockerScript),
             Result(1, "", Fixture("bitlocker_not_recognized_de.txt")));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("exited with status 1"));
  EXPECT_THAT(t.unknown_reason(), HasSubstr("Die Benennung"));
}

TEST(WindowsDiskEncryptionCollectorTest, AccessDeniedWithZeroExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kBitLockerScript),
             Ok("", Fixture("bitlocker_access_denied.txt")));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("Access denied"));
}

TEST(WindowsDiskEncryptionCollectorTest, UnparseableIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kBitLockerScript), Ok(Fixture("bitlocker_truncated.json")));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("Get-BitLockerVolume (PowerShell): unreadable JSON"));
}

}  // namespace
}  // namespace trellis::agent::windows_facts
