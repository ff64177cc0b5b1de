#include "agent/facts/android/android_collectors.h"
#include "agent/facts/android/screen_lock_parser.h"
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

TEST(AndroidScreenLockTest, Conversions) {
  EXPECT_EQ(ScreenOffSeconds(30000), 30);
  EXPECT_EQ(ScreenOffSeconds(15500), 15);
  EXPECT_EQ(ScreenOffSeconds(2147483647), 0);  // never
  EXPECT_EQ(ScreenOffSeconds(-1), 0);
  EXPECT_EQ(ScreenOffSeconds(std::nullopt), std::nullopt);
  EXPECT_EQ(MillisToSeconds(5000), 5);
  EXPECT_EQ(MillisToSeconds(0), 0);
  EXPECT_EQ(MillisToSeconds(-5), std::nullopt);
}

TEST(AndroidScreenLockTest, Table) {
  EXPECT_EQ(RowString(BuildScreenLockTable(true, 30000, 5000), 0),
            "enabled=true idle_delay_seconds=30 lock_delay_seconds=5 "
            "source=android");
  EXPECT_EQ(RowString(BuildScreenLockTable(false, 30000, 5000), 0),
            "enabled=false idle_delay_seconds=30 lock_delay_seconds=NULL "
            "source=android");
  EXPECT_EQ(RowString(BuildScreenLockTable(true, 2147483647, 0), 0),
            "enabled=false idle_delay_seconds=0 lock_delay_seconds=0 "
            "source=android");
  EXPECT_EQ(RowString(BuildScreenLockTable(std::nullopt, 60000, 0), 0),
            "enabled=NULL idle_delay_seconds=60 lock_delay_seconds=0 "
            "source=android");
}

TEST(AndroidScreenLockCollectorTest, Pixel8) {
  FakeCommandRunner runner;
  LoadSession("pixel8_android14.session", runner);
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0),
            "enabled=true idle_delay_seconds=30 lock_delay_seconds=5 "
            "source=android");
}

TEST(AndroidScreenLockCollectorTest, EmulatorStaysAwakeWithoutLock) {
  FakeCommandRunner runner;
  LoadSession("emulator_android13_userdebug.session", runner);
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(RowString(t, 0),
            "enabled=false idle_delay_seconds=0 lock_delay_seconds=NULL "
            "source=android");
}

TEST(AndroidScreenLockCollectorTest, Android9CredentialUnknown) {
  FakeCommandRunner runner;
  LoadSession("galaxy_android9_crlf.session", runner);
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(RowString(t, 0),
            "enabled=NULL idle_delay_seconds=60 lock_delay_seconds=0 "
            "source=android");
}

TEST(AndroidScreenLockCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("settings get system screen_off_timeout: settings is "
                        "not installed"));
}

TEST(AndroidScreenLockCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("settings get system screen_off_timeout",
             Result(255, "", "cmd: Can't find service: settings\n"));
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("exited with status 255: cmd: Can't find service"));
}

TEST(AndroidScreenLockCollectorTest, UnparseableIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("settings get system screen_off_timeout", Ok("30 seconds\n"));
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(
      t.unknown_reason(),
      HasSubstr("settings get system screen_off_timeout: not a number"));
}

}  // namespace
}  // namespace trellis::agent::android_facts
