#include "agent/facts/android/android_collectors.h"
#include "agent/facts/android/disk_encryption_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/android/android_test_util.h"

namespace trellis::agent::android_facts {
namespace {

using android_test::CollectChecked;
using android_test::LoadSession;
using android_test::Ok;
using android_test::Result;
using android_test::RowString;
using ::testing::HasSubstr;

std::string Row(const std::optional<std::string>& state,
                const std::optional<std::string>& type) {
  auto data = InterpretCryptoProps(state, type);
  if (!data.ok()) return std::string(data.status().message());
  return RowString(BuildDiskEncryptionTable(*data), 0);
}

TEST(AndroidCryptoTest, States) {
  EXPECT_EQ(Row("encrypted", "file"),
            "mount_point=/data device=NULL encrypted=true method=fbe "
            "is_system=true");
  EXPECT_EQ(Row("encrypted", "block"),
            "mount_point=/data device=NULL encrypted=true method=dm-crypt "
            "is_system=true");
  EXPECT_EQ(Row("encrypted", std::nullopt),
            "mount_point=/data device=NULL encrypted=true method=NULL "
            "is_system=true");
  EXPECT_EQ(Row("unencrypted", std::nullopt),
            "mount_point=/data device=NULL encrypted=false method=none "
            "is_system=true");
  EXPECT_EQ(Row("unsupported", std::nullopt),
            "mount_point=/data device=NULL encrypted=false method=none "
            "is_system=true");
  EXPECT_EQ(Row(std::nullopt, "file"), "ro.crypto.state is not set");
  EXPECT_EQ(Row("trigger_restart_framework", std::nullopt),
            "unknown ro.crypto.state 'trigger_restart_framework'");
}

TEST(AndroidDiskEncryptionCollectorTest, FileBasedOnPixel) {
  FakeCommandRunner runner;
  LoadSession("pixel8_android14.session", runner);
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0),
            "mount_point=/data device=NULL encrypted=true method=fbe "
            "is_system=true");
}

TEST(AndroidDiskEncryptionCollectorTest, FullDiskOnAndroid9WithCrLf) {
  FakeCommandRunner runner;
  LoadSession("galaxy_android9_crlf.session", runner);
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(RowString(t, 0), HasSubstr("encrypted=true method=dm-crypt"));
}

TEST(AndroidDiskEncryptionCollectorTest, UnencryptedTablet) {
  FakeCommandRunner runner;
  LoadSession("android6_unencrypted.session", runner);
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(RowString(t, 0), HasSubstr("encrypted=false method=none"));
}

TEST(AndroidDiskEncryptionCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("getprop ro.crypto.state: getprop is not installed"));
}

TEST(AndroidDiskEncryptionCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("getprop ro.crypto.state", Result(1, "", "getprop: error\n"));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("exited with status 1"));
}

TEST(AndroidDiskEncryptionCollectorTest, UnsetStateIsUnknownNotUnencrypted) {
  FakeCommandRunner runner;
  runner.Set("getprop ro.crypto.state", Ok("\n"));
  runner.Set("getprop ro.crypto.type", Ok("\n"));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(t.unknown_reason(),
            "getprop ro.crypto.state: ro.crypto.state is not set");
}

}  // namespace
}  // namespace trellis::agent::android_facts
