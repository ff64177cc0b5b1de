#include "absl/status/status.h"
#include "agent/facts/android/android_collectors.h"
#include "agent/facts/android/os_version_parser.h"
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

TEST(AndroidOsVersionTest, Abis) {
  EXPECT_EQ(AbiToArch("arm64-v8a"), "arm64");
  EXPECT_EQ(AbiToArch("armeabi-v7a"), "arm");
  EXPECT_EQ(AbiToArch("x86_64"), "x86_64");
  EXPECT_EQ(AbiToArch("x86"), "x86");
  EXPECT_EQ(AbiToArch("mips"), std::nullopt);
}

TEST(AndroidOsVersionTest, PatchLevels) {
  EXPECT_TRUE(IsPatchLevel("2024-03-05"));
  EXPECT_FALSE(IsPatchLevel("unknown"));
  EXPECT_FALSE(IsPatchLevel("2024-3-5"));
  EXPECT_FALSE(IsPatchLevel("2024-03-05 "));
}

TEST(AndroidOsVersionCollectorTest, Pixel8) {
  FakeCommandRunner runner;
  ASSERT_GT(LoadSession("pixel8_android14.session", runner), 10);
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0),
            "name=Android version=14 version_id=14 id=android "
            "pretty_name=Android 14 kernel_release=UQ1A.240205.004 arch=arm64 "
            "security_patch_level=2024-02-05");
}

TEST(AndroidOsVersionCollectorTest, OldAdbCarriageReturnsAreTrimmed) {
  FakeCommandRunner runner;
  LoadSession("galaxy_android9_crlf.session", runner);
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(
      RowString(t, 0),
      "name=Android version=9 version_id=9 id=android "
      "pretty_name=Android 9 kernel_release=PPR1.180610.011.G950FXXSBDTH1 "
      "arch=arm security_patch_level=2020-08-01");
}

TEST(AndroidOsVersionCollectorTest, NonDatePatchLevelIsNull) {
  FakeCommandRunner runner;
  LoadSession("android6_unencrypted.session", runner);
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(RowString(t, 0), HasSubstr("version=6.0.1 "));
  EXPECT_THAT(RowString(t, 0), HasSubstr("security_patch_level=NULL"));
}

TEST(AndroidOsVersionCollectorTest, MissingOptionalPropsAreNull) {
  FakeCommandRunner runner;
  runner.Set("getprop ro.build.version.release", Ok("15\n"));
  runner.Set("getprop ro.build.version.security_patch", Ok("\n"));
  runner.SetError("getprop ro.build.display.id",
                  absl::DeadlineExceededError("getprop did not finish"));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(RowString(t, 0),
            "name=Android version=15 version_id=15 id=android "
            "pretty_name=Android 15 kernel_release=NULL arch=NULL "
            "security_patch_level=NULL");
}

TEST(AndroidOsVersionCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(t.rows_size(), 0);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("getprop ro.build.version.release: getprop is not "
                        "installed"));
}

TEST(AndroidOsVersionCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("getprop ro.build.version.release",
             Result(126, "",
                    "/system/bin/sh: getprop: can't execute: "
                    "Permission denied\n"));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("exited with status 126"));
}

TEST(AndroidOsVersionCollectorTest, UnsetReleaseIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("getprop ro.build.version.release", Ok("\n"));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(t.unknown_reason(), "getprop ro.build.version.release: not set");
}

}  // namespace
}  // namespace trellis::agent::android_facts
