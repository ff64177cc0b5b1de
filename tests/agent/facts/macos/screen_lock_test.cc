#include "agent/facts/macos/macos_collectors.h"
#include "agent/facts/macos/screen_lock_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/macos/macos_test_util.h"

namespace trellis::agent::macos_facts {
namespace {

using macos_test::CollectChecked;
using macos_test::Fixture;
using macos_test::Ok;
using macos_test::Result;
using macos_test::RowString;
using ::testing::HasSubstr;

constexpr char kStatus[] = "sysadminctl -screenLock status";
constexpr char kIdle[] =
    "defaults -currentHost read com.apple.screensaver idleTime";

TEST(MacosSysadminctlTest, DelayInSeconds) {
  auto s = ParseSysadminctlScreenLock(Fixture("sysadminctl_delay_300.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->password_required);
  EXPECT_EQ(s->delay_seconds, 300);
}

TEST(MacosSysadminctlTest, Immediate) {
  auto s = ParseSysadminctlScreenLock(Fixture("sysadminctl_immediate.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->password_required);
  EXPECT_EQ(s->delay_seconds, 0);
}

TEST(MacosSysadminctlTest, Off) {
  auto s = ParseSysadminctlScreenLock(Fixture("sysadminctl_off.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->password_required);
  EXPECT_EQ(s->delay_seconds, std::nullopt);
}

TEST(MacosSysadminctlTest, NegativeDelayMeansOff) {
  auto s = ParseSysadminctlScreenLock(Fixture("sysadminctl_negative.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->password_required);
}

TEST(MacosSysadminctlTest, ErrorNoiseBeforeTheAnswer) {
  auto s = ParseSysadminctlScreenLock(Fixture("sysadminctl_extra_lines.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->delay_seconds, 5);
}

TEST(MacosSysadminctlTest, OddOutputsAreErrors) {
  EXPECT_THAT(ParseSysadminctlScreenLock(Fixture("sysadminctl_usage.txt"))
                  .status()
                  .message(),
              HasSubstr("no screenLock line"));
  EXPECT_FALSE(ParseSysadminctlScreenLock("").ok());
  EXPECT_FALSE(ParseSysadminctlScreenLock("screenLock delay is soon\n").ok());
  EXPECT_FALSE(
      ParseSysadminctlScreenLock("2024-03-01 sysadminctl[1:2] scree").ok());
}

TEST(MacosScreenLockTableTest, EnabledNeedsPasswordAndScreenSaver) {
  ScreenLockSetting on{true, 5};
  EXPECT_EQ(RowString(BuildScreenLockTable(on, 600), 0),
            "enabled=true idle_delay_seconds=600 lock_delay_seconds=5 "
            "source=macos");
  EXPECT_EQ(RowString(BuildScreenLockTable(on, 0), 0),
            "enabled=false idle_delay_seconds=0 lock_delay_seconds=5 "
            "source=macos");
  EXPECT_EQ(RowString(BuildScreenLockTable(on, std::nullopt), 0),
            "enabled=true idle_delay_seconds=NULL lock_delay_seconds=5 "
            "source=macos");
  ScreenLockSetting off{false, std::nullopt};
  EXPECT_EQ(RowString(BuildScreenLockTable(off, 600), 0),
            "enabled=false idle_delay_seconds=600 lock_delay_seconds=NULL "
            "source=macos");
}

TEST(MacosScreenLockCollectorTest, HappyPathReadsStderr) {
  FakeCommandRunner runner;
  // sysadminctl logs its answer to stderr, not stdout.
  runner.Set(kStatus, Ok("", Fixture("sysadminctl_immediate.txt")));
  runner.Set(kIdle, Ok(Fixture("defaults_idle_600.txt")));
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0),
            "enabled=true idle_delay_seconds=600 lock_delay_seconds=0 "
            "source=macos");
}

TEST(MacosScreenLockCollectorTest, IdleTimeUnsetIsNull) {
  FakeCommandRunner runner;
  runner.Set(kStatus, Ok("", Fixture("sysadminctl_delay_300.txt")));
  runner.Set(kIdle, Result(1, "", Fixture("defaults_missing.txt")));
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(RowString(t, 0),
            "enabled=true idle_delay_seconds=NULL lock_delay_seconds=300 "
            "source=macos");
}

TEST(MacosScreenLockCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(kIdle, Ok("600\n"));
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("sysadminctl -screenLock status: sysadminctl is not"));
}

TEST(MacosScreenLockCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(kStatus, Result(1, "", Fixture("sysadminctl_usage.txt")));
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("exited with status 1"));
  EXPECT_THAT(t.unknown_reason(), HasSubstr("Usage: sysadminctl"));
}

TEST(MacosScreenLockCollectorTest, UnparseableIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(kStatus, Ok("", "2024-03-01 sysadminctl[1:2] scree"));
  auto collector = NewScreenLockCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("no screenLock line"));
}

}  // namespace
}  // namespace trellis::agent::macos_facts
