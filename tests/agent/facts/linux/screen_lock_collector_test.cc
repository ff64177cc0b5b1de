#include "agent/facts/linux/screen_lock_collector.h"

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
using test_support::IntCell;
using test_support::TextCell;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kAsAlice[] =
    "setpriv --reuid=1000 --regid=1000 --clear-groups -- ";
constexpr char kLockEnabled[] =
    "gsettings get org.gnome.desktop.screensaver lock-enabled";
constexpr char kIdleDelay[] =
    "gsettings get org.gnome.desktop.session idle-delay";
constexpr char kLockDelay[] =
    "gsettings get org.gnome.desktop.screensaver lock-delay";
constexpr char kLockdown[] =
    "gsettings get org.gnome.desktop.lockdown disable-lock-screen";

CommandResult Ok(std::string out, std::string err = "") {
  CommandResult r;
  r.stdout_text = std::move(out);
  r.stderr_text = std::move(err);
  return r;
}

// A desktop machine: GDM's greeter, Alice's GNOME session, and an agent
// running as `agent_uid`.
FakeLinuxSystem Desktop(int64_t agent_uid = 0) {
  FakeLinuxSystem system;
  system.AddProcess(1, "systemd", 0);
  system.AddProcess(812, "gnome-shell", 117);  // Debian-gdm's login screen
  system.AddProcess(2044, "gnome-shell", 1000);
  system.AddProcess(2101, "gnome-session-b", 1000);
  system.files["/proc/self/status"] =
      absl::StrCat("Name:\ttrellis-agent\nUid:\t", agent_uid, "\t", agent_uid,
                   "\t", agent_uid, "\t", agent_uid, "\nGid:\t", agent_uid,
                   "\t", agent_uid, "\t", agent_uid, "\t", agent_uid, "\n");
  return system;
}

// Answers for the four keys, with `prefix` before each command line.
void SetAnswers(FakeCommandRunner& runner, const std::string& prefix,
                const std::string& lock_enabled, const std::string& idle,
                const std::string& lock_delay, const std::string& lockdown) {
  runner.Set(prefix + kLockEnabled, Ok(lock_enabled));
  runner.Set(prefix + kIdleDelay, Ok(idle));
  runner.Set(prefix + kLockDelay, Ok(lock_delay));
  runner.Set(prefix + kLockdown, Ok(lockdown));
}

v1::FactTable CollectTable(FakeLinuxSystem& system, FakeCommandRunner& runner) {
  FakeClock clock;
  CollectContext ctx{&system, &runner, &clock};
  v1::FactTable table = NewScreenLockCollector()->Collect(ctx);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(table).ok());
  return table;
}

TEST(ParseGsettingsTest, RecordedBooleans) {
  EXPECT_EQ(
      ParseGsettingsBool(Fixture("screen_lock/gsettings_lock_enabled_true.txt"))
          .value_or(false),
      true);
  EXPECT_EQ(ParseGsettingsBool(
                Fixture("screen_lock/gsettings_disable_lock_screen_false.txt"))
                .value_or(true),
            false);
  EXPECT_FALSE(ParseGsettingsBool("").ok());
  EXPECT_FALSE(ParseGsettingsBool("uint32 1").ok());
  EXPECT_FALSE(ParseGsettingsBool("True").ok());
}

TEST(ParseGsettingsTest, RecordedUint32) {
  EXPECT_EQ(
      ParseGsettingsUint32(Fixture("screen_lock/gsettings_idle_delay_300.txt"))
          .value_or(-1),
      300);
  EXPECT_EQ(
      ParseGsettingsUint32(Fixture("screen_lock/gsettings_lock_delay_0.txt"))
          .value_or(-1),
      0);
  EXPECT_EQ(ParseGsettingsUint32("900").value_or(-1), 900);
  EXPECT_EQ(ParseGsettingsUint32("uint32 4294967295").value_or(-1),
            int64_t{4294967295});
}

TEST(ParseGsettingsTest, BadUint32) {
  EXPECT_FALSE(ParseGsettingsUint32("").ok());
  EXPECT_FALSE(ParseGsettingsUint32("uint32 ").ok());
  EXPECT_FALSE(ParseGsettingsUint32("uint32 -5").ok());
  EXPECT_FALSE(ParseGsettingsUint32("uint32 4294967296").ok());
  EXPECT_FALSE(ParseGsettingsUint32("true").ok());
  EXPECT_FALSE(ParseGsettingsUint32(
                   Fixture("screen_lock/gsettings_no_schema_stderr.txt"))
                   .ok());
}

TEST(GsettingsStderrProblemTest, DefaultsOnlyBackendsAreFlagged) {
  EXPECT_NE(GsettingsStderrProblem(
                Fixture("screen_lock/gsettings_memory_backend_stderr.txt")),
            std::nullopt);
  std::optional<std::string> dconf = GsettingsStderrProblem(
      Fixture("screen_lock/gsettings_dconf_critical_stderr.txt"));
  ASSERT_NE(dconf, std::nullopt);
  EXPECT_THAT(*dconf, HasSubstr("dconf"));
  EXPECT_EQ(GsettingsStderrProblem(""), std::nullopt);
  // A harmless D-Bus complaint while reading does not spoil the value.
  EXPECT_EQ(GsettingsStderrProblem("(process:1): GLib-GIO-WARNING **: Cannot "
                                   "autolaunch D-Bus without X11 $DISPLAY\n"),
            std::nullopt);
}

TEST(ParseProcStatusIdsTest, RealUidAndGid) {
  absl::StatusOr<ProcessIds> ids = ParseProcStatusIds(
      "Name:\tgnome-shell\nUid:\t1000\t1000\t1000\t1000\n"
      "Gid:\t1001\t1001\t1001\t1001\nGroups:\t4 27 1001\n");
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_EQ(ids->uid, 1000);
  EXPECT_EQ(ids->gid, 1001);
  EXPECT_FALSE(ParseProcStatusIds("Name:\tx\n").ok());
  EXPECT_FALSE(ParseProcStatusIds("Uid:\tabc\nGid:\t0\n").ok());
}

TEST(ScreenLockTableTest, EnabledNeedsLockIdleAndNoLockdown) {
  GnomeLockSettings s{true, 300, 0, false};
  v1::FactTable table = ScreenLockTable(s);
  EXPECT_EQ(BoolCell(table, "enabled"), true);
  EXPECT_EQ(IntCell(table, "idle_delay_seconds"), 300);
  EXPECT_EQ(IntCell(table, "lock_delay_seconds"), 0);
  EXPECT_EQ(TextCell(table, "source"), "gnome");

  EXPECT_EQ(BoolCell(ScreenLockTable({false, 300, 0, false}), "enabled"),
            false);
  // Idle delay 0: the screen never blanks, so it never locks by itself.
  EXPECT_EQ(BoolCell(ScreenLockTable({true, 0, 0, false}), "enabled"), false);
  EXPECT_EQ(BoolCell(ScreenLockTable({true, 300, 0, true}), "enabled"), false);
}

TEST(WeakestOfTest, LeastLockedSessionWins) {
  GnomeLockSettings strict{true, 300, 0, false};
  GnomeLockSettings lax{true, 900, 60, false};
  GnomeLockSettings off{false, 300, 0, false};
  GnomeLockSettings w = WeakestOf(strict, lax);
  EXPECT_EQ(w.idle_delay_seconds, 900);
  EXPECT_EQ(w.lock_delay_seconds, 60);
  EXPECT_FALSE(WeakestOf(strict, off).lock_enabled);
  EXPECT_FALSE(WeakestOf(off, strict).lock_enabled);
}

TEST(ScreenLockCollectorTest, RootAgentReadsTheSessionUsersSettings) {
  FakeLinuxSystem system = Desktop(/*agent_uid=*/0);
  FakeCommandRunner runner;
  SetAnswers(runner, kAsAlice, "true\n", "uint32 600\n", "uint32 30\n",
             "false\n");
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK) << table.unknown_reason();
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(BoolCell(table, "enabled"), true);
  EXPECT_EQ(IntCell(table, "idle_delay_seconds"), 600);
  EXPECT_EQ(IntCell(table, "lock_delay_seconds"), 30);
  EXPECT_EQ(TextCell(table, "source"), "gnome");
  // Only Alice's session was asked; GDM's greeter is not a user.
  EXPECT_EQ(runner.calls().size(), 4u);
  for (const std::string& call : runner.calls()) {
    EXPECT_THAT(call, HasSubstr("--reuid=1000"));
  }
}

TEST(ScreenLockCollectorTest, AgentAsTheSessionUserRunsGsettingsDirectly) {
  FakeLinuxSystem system = Desktop(/*agent_uid=*/1000);
  FakeCommandRunner runner;
  SetAnswers(runner, "", "false\n", "uint32 300\n", "uint32 0\n", "false\n");
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(BoolCell(table, "enabled"), false);
  EXPECT_EQ(IntCell(table, "idle_delay_seconds"), 300);
}

TEST(ScreenLockCollectorTest, LockdownDisablesLocking) {
  FakeLinuxSystem system = Desktop();
  FakeCommandRunner runner;
  SetAnswers(runner, kAsAlice, "true\n", "uint32 300\n", "uint32 0\n",
             "true\n");
  EXPECT_EQ(BoolCell(CollectTable(system, runner), "enabled"), false);
}

TEST(ScreenLockCollectorTest, TwoSessionsReportTheWeaker) {
  FakeLinuxSystem system = Desktop();
  system.AddProcess(3300, "gnome-shell", 1001);
  system.files["/proc/3300/status"] =
      "Uid:\t1001\t1001\t1001\t1001\nGid:\t1002\t1002\t1002\t1002\n";
  FakeCommandRunner runner;
  SetAnswers(runner, kAsAlice, "true\n", "uint32 300\n", "uint32 0\n",
             "false\n");
  SetAnswers(runner, "setpriv --reuid=1001 --regid=1002 --clear-groups -- ",
             "true\n", "uint32 0\n", "uint32 0\n", "false\n");
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(BoolCell(table, "enabled"), false);
  EXPECT_EQ(IntCell(table, "idle_delay_seconds"), 0);
}

TEST(ScreenLockCollectorTest, HeadlessIsNoGraphicalSession) {
  FakeLinuxSystem system;
  system.AddProcess(1, "systemd");
  system.AddProcess(530, "sshd");
  system.files["/proc/self/status"] = "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("no graphical session"));
  // Nothing is asked of gsettings, whose defaults would look like an answer.
  EXPECT_THAT(runner.calls(), IsEmpty());
}

TEST(ScreenLockCollectorTest, OnlyTheLoginScreenIsNoSession) {
  FakeLinuxSystem system;
  system.AddProcess(812, "gnome-shell", 117);
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("no graphical session"));
}

TEST(ScreenLockCollectorTest, OtherDesktopIsNamed) {
  FakeLinuxSystem system;
  system.AddProcess(1900, "plasmashell", 1000);
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("KDE Plasma"));
}

TEST(ScreenLockCollectorTest, UnprivilegedAgentCannotReadAnotherUser) {
  FakeLinuxSystem system = Desktop(/*agent_uid=*/998);
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("uid 1000"));
  EXPECT_THAT(runner.calls(), IsEmpty());
}

TEST(ScreenLockCollectorTest, GsettingsMissingIsUnknownNamingIt) {
  FakeLinuxSystem system = Desktop(/*agent_uid=*/1000);
  FakeCommandRunner runner;  // nothing installed
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("gsettings not installed"));
}

TEST(ScreenLockCollectorTest, SetprivMissingIsUnknownNamingIt) {
  FakeLinuxSystem system = Desktop(/*agent_uid=*/0);
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("setpriv not installed"));
}

TEST(ScreenLockCollectorTest, SetprivRefusedIsUnknownWithItsError) {
  // A root agent in a container without CAP_SETUID.
  FakeLinuxSystem system = Desktop(/*agent_uid=*/0);
  FakeCommandRunner runner;
  CommandResult refused;
  refused.exit_code = 1;
  refused.stderr_text = Fixture("screen_lock/setpriv_not_root_stderr.txt");
  runner.Set(std::string(kAsAlice) + kLockEnabled, refused);
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("setresuid failed"));
}

TEST(ScreenLockCollectorTest, MissingSchemaIsUnknownWithGsettingsError) {
  FakeLinuxSystem system = Desktop();
  FakeCommandRunner runner;
  CommandResult no_schema;
  no_schema.exit_code = 1;
  no_schema.stderr_text = Fixture("screen_lock/gsettings_no_schema_stderr.txt");
  runner.Set(std::string(kAsAlice) + kLockEnabled, no_schema);
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("No such schema"));
}

TEST(ScreenLockCollectorTest, MemoryBackendDefaultsAreNotAnAnswer) {
  FakeLinuxSystem system = Desktop();
  FakeCommandRunner runner;
  SetAnswers(runner, kAsAlice, "true\n", "uint32 300\n", "uint32 0\n",
             "false\n");
  runner.Set(
      std::string(kAsAlice) + kLockEnabled,
      Ok("true\n", Fixture("screen_lock/gsettings_memory_backend_stderr.txt")));
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("defaults"));
}

TEST(ScreenLockCollectorTest, UnparseableValueIsUnknown) {
  FakeLinuxSystem system = Desktop();
  FakeCommandRunner runner;
  SetAnswers(runner, kAsAlice, "true\n", "", "uint32 0\n", "false\n");
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("not a uint32"));
}

TEST(ScreenLockCollectorTest, TimeoutIsUnknown) {
  FakeLinuxSystem system = Desktop();
  FakeCommandRunner runner;
  SetAnswers(runner, kAsAlice, "true\n", "uint32 300\n", "uint32 0\n",
             "false\n");
  runner.SetError(std::string(kAsAlice) + kIdleDelay,
                  absl::DeadlineExceededError("killed"));
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("timed out"));
}

TEST(ScreenLockCollectorTest, UnlistableProcIsUnknown) {
  FakeLinuxSystem system;
  system.errors["/proc"] = absl::PermissionDeniedError("hidepid");
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("/proc"));
}

TEST(ScreenLockCollectorTest, RealMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable table = NewScreenLockCollector()->Collect(ctx);
  test_support::ExpectValidRealTable(table, "screen_lock");
}

}  // namespace
}  // namespace trellis::agent::linux_facts
