#include "agent/facts/linux/os_updates_collector.h"

#include <memory>
#include <string>

#include "absl/time/civil_time.h"
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

constexpr char kAptSim[] = "apt-get -s -o Debug::NoLocking=1 dist-upgrade";
constexpr char kAptConfig[] = "apt-config dump";
constexpr char kDnfCheck[] = "dnf -q -C check-update";
constexpr char kDnfSecurity[] = "dnf -q -C updateinfo list --security";
constexpr char kDnfHistory[] = "dnf -q -C history list";

absl::Time Utc(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

CommandResult Ok(std::string out, int exit_code = 0) {
  CommandResult r;
  r.stdout_text = std::move(out);
  r.exit_code = exit_code;
  return r;
}

v1::FactTable CollectTable(FakeLinuxSystem& system, FakeCommandRunner& runner,
                           absl::Time now = Utc(2026, 12, 3, 12, 0, 0)) {
  FakeClock clock(now);
  CollectContext ctx{&system, &runner, &clock};
  v1::FactTable table =
      NewOsUpdatesCollectorInZone(absl::UTCTimeZone())->Collect(ctx);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(table).ok());
  return table;
}

// A Debian machine with unattended-upgrades on.
void SetUpApt(FakeLinuxSystem& system, FakeCommandRunner& runner) {
  runner.Set(kAptSim, Ok(Fixture("os_updates/apt_dist_upgrade_debian12.txt")));
  runner.Set(kAptConfig,
             Ok(Fixture("os_updates/apt_config_dump_unattended_on.txt")));
  system.files["/var/log/apt/history.log"] =
      Fixture("os_updates/apt_history_debian12.log");
  system.files["/usr/bin/unattended-upgrade"] = "#!/usr/bin/python3\n";
}

TEST(ParseAptSimulationTest, RealDebian12Run) {
  auto p =
      ParseAptSimulation(Fixture("os_updates/apt_dist_upgrade_debian12.txt"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->pending, 124);
  EXPECT_EQ(p->pending_security, 79);
}

TEST(ParseAptSimulationTest, NewKernelPackagesAreNotCountedTwice) {
  auto p = ParseAptSimulation(
      Fixture("os_updates/apt_dist_upgrade_ubuntu_new_kernel.txt"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->pending, 7);
  // libssl3, openssl and the three kernel metapackages come from
  // jammy-security; urllib3 and snapd only from jammy-updates.
  EXPECT_EQ(p->pending_security, 5);
}

TEST(ParseAptSimulationTest, NothingPending) {
  auto p = ParseAptSimulation(Fixture("os_updates/apt_dist_upgrade_none.txt"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->pending, 0);
  EXPECT_EQ(p->pending_security, 0);
}

TEST(ParseAptSimulationTest, TruncatedOrFailedOutputIsNotZero) {
  auto truncated =
      ParseAptSimulation(Fixture("os_updates/apt_dist_upgrade_truncated.txt"));
  EXPECT_FALSE(truncated.ok());
  EXPECT_THAT(truncated.status().message(), HasSubstr("124 upgraded"));
  EXPECT_FALSE(ParseAptSimulation("").ok());
  EXPECT_FALSE(
      ParseAptSimulation(Fixture("os_updates/apt_lists_broken_stderr.txt"))
          .ok());
}

TEST(LatestAptUpgradeTest, NewestEntryThatUpgraded) {
  auto t = LatestAptUpgrade(Fixture("os_updates/apt_history_debian12.log"),
                            absl::UTCTimeZone());
  ASSERT_NE(t, std::nullopt);
  EXPECT_EQ(*t, Utc(2026, 11, 23, 11, 19, 50));
}

TEST(LatestAptUpgradeTest, SkipsFailedUpgradesAndPlainInstalls) {
  auto t = LatestAptUpgrade(
      Fixture("os_updates/apt_history_failed_and_installs.log"),
      absl::UTCTimeZone());
  ASSERT_NE(t, std::nullopt);
  EXPECT_EQ(*t, Utc(2026, 10, 1, 9, 0, 40));
}

TEST(LatestAptUpgradeTest, LocalTimeIsConvertedWithTheZone) {
  auto t = LatestAptUpgrade(
      "Start-Date: 2026-11-23  11:18:52\nUpgrade: x (1, 2)\n"
      "End-Date: 2026-11-23  11:19:50\n",
      absl::FixedTimeZone(3600));
  ASSERT_NE(t, std::nullopt);
  EXPECT_EQ(*t, Utc(2026, 11, 23, 10, 19, 50));
}

TEST(LatestAptUpgradeTest, NoneFound) {
  EXPECT_EQ(LatestAptUpgrade("", absl::UTCTimeZone()), std::nullopt);
  // An entry cut off before its End-Date is not a finished upgrade.
  EXPECT_EQ(LatestAptUpgrade("Start-Date: 2026-11-23  11:18:52\n"
                             "Upgrade: x (1, 2)\n",
                             absl::UTCTimeZone()),
            std::nullopt);
  EXPECT_EQ(LatestAptUpgrade("Upgrade: x (1, 2)\nEnd-Date: yesterday\n",
                             absl::UTCTimeZone()),
            std::nullopt);
}

TEST(AptUnattendedUpgradeConfiguredTest, ResolvedConfig) {
  EXPECT_TRUE(AptUnattendedUpgradeConfigured(
      Fixture("os_updates/apt_config_dump_unattended_on.txt")));
  EXPECT_FALSE(AptUnattendedUpgradeConfigured(
      Fixture("os_updates/apt_config_dump_unattended_off.txt")));
  // This VM: nothing about APT::Periodic at all.
  EXPECT_FALSE(AptUnattendedUpgradeConfigured(
      Fixture("os_updates/apt_config_dump_debian12.txt")));
  EXPECT_TRUE(AptUnattendedUpgradeConfigured(
      "apt::periodic::unattended-upgrade \"always\";\n"));
  EXPECT_TRUE(AptUnattendedUpgradeConfigured(
      "APT::Periodic::Unattended-Upgrade \"7\";\n"));
  EXPECT_FALSE(AptUnattendedUpgradeConfigured(
      "APT::Periodic::Enable \"0\";\nAPT::Periodic::Unattended-Upgrade "
      "\"1\";\n"));
  EXPECT_FALSE(AptUnattendedUpgradeConfigured(""));
}

TEST(ParseDnfCheckUpdateTest, CountsPackagesNotObsoletes) {
  auto n = ParseDnfCheckUpdate(
      Fixture("os_updates/dnf_check_update_fedora.txt"), 100);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 7);
}

TEST(ParseDnfCheckUpdateTest, ExitCodeMustMatchTheListing) {
  EXPECT_EQ(ParseDnfCheckUpdate("", 0).value_or(-1), 0);
  EXPECT_FALSE(ParseDnfCheckUpdate("", 100).ok());
  EXPECT_FALSE(
      ParseDnfCheckUpdate(Fixture("os_updates/dnf_check_update_fedora.txt"), 0)
          .ok());
  EXPECT_FALSE(
      ParseDnfCheckUpdate(Fixture("os_updates/dnf_no_cache_stderr.txt"), 1)
          .ok());
}

TEST(ParseDnfSecurityListTest, DistinctPackages) {
  EXPECT_EQ(ParseDnfSecurityList(
                Fixture("os_updates/dnf_updateinfo_security_fedora.txt")),
            4);
  EXPECT_EQ(ParseDnfSecurityList(""), 0);
}

TEST(LatestDnfUpgradeTest, NewestUpgradeTransaction) {
  auto t = LatestDnfUpgrade(Fixture("os_updates/dnf_history_list.txt"),
                            absl::UTCTimeZone());
  ASSERT_NE(t, std::nullopt);
  EXPECT_EQ(*t, Utc(2026, 11, 20, 9, 15, 0));
  EXPECT_EQ(LatestDnfUpgrade("", absl::UTCTimeZone()), std::nullopt);
}

TEST(DnfAutomaticAppliesUpdatesTest, ReadsCommandsSection) {
  EXPECT_TRUE(DnfAutomaticAppliesUpdates(
      Fixture("os_updates/dnf_automatic_apply.conf")));
  EXPECT_FALSE(DnfAutomaticAppliesUpdates(
      Fixture("os_updates/dnf_automatic_default.conf")));
  EXPECT_FALSE(DnfAutomaticAppliesUpdates("[email]\napply_updates = yes\n"));
}

TEST(DaysSinceTest, WholeDaysAndNoNegatives) {
  absl::Time t = Utc(2026, 11, 1, 12, 0, 0);
  EXPECT_EQ(DaysSince(t, t + absl::Hours(23)), 0);
  EXPECT_EQ(DaysSince(t, t + absl::Hours(24)), 1);
  EXPECT_EQ(DaysSince(t, t + absl::Hours(24 * 30 + 5)), 30);
  EXPECT_EQ(DaysSince(t, t - absl::Hours(5)), 0);
}

TEST(OsUpdatesCollectorTest, AptHappyPath) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  SetUpApt(system, runner);
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK) << table.unknown_reason();
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(TextCell(table, "manager"), "apt");
  EXPECT_EQ(IntCell(table, "pending"), 124);
  EXPECT_EQ(IntCell(table, "pending_security"), 79);
  EXPECT_EQ(IntCell(table, "days_since_last_update"), 10);
  EXPECT_EQ(BoolCell(table, "automatic_updates"), true);
}

TEST(OsUpdatesCollectorTest, UnattendedConfiguredButNotInstalled) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  SetUpApt(system, runner);
  system.files.erase("/usr/bin/unattended-upgrade");
  EXPECT_EQ(BoolCell(CollectTable(system, runner), "automatic_updates"), false);
}

TEST(OsUpdatesCollectorTest, PreviousMonthsLogAfterRotation) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  SetUpApt(system, runner);
  system.files["/var/log/apt/history.log"] = "";
  system.files["/var/log/apt/history.log.1"] =
      Fixture("os_updates/apt_history_failed_and_installs.log");
  EXPECT_EQ(IntCell(CollectTable(system, runner), "days_since_last_update"),
            63);
}

TEST(OsUpdatesCollectorTest, MissingHistoryAndConfigAreNull) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  runner.Set(kAptSim, Ok(Fixture("os_updates/apt_dist_upgrade_none.txt")));
  runner.SetError(kAptConfig, absl::DeadlineExceededError("killed"));
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(IntCell(table, "pending"), 0);
  EXPECT_EQ(IntCell(table, "days_since_last_update"), std::nullopt);
  EXPECT_EQ(BoolCell(table, "automatic_updates"), std::nullopt);
}

TEST(OsUpdatesCollectorTest, AptFailureIsUnknownWithItsError) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  CommandResult broken;
  broken.exit_code = 100;
  broken.stderr_text = Fixture("os_updates/apt_lists_broken_stderr.txt");
  runner.Set(kAptSim, broken);
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("apt-get"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("could not be parsed"));
}

TEST(OsUpdatesCollectorTest, AptTimeoutIsUnknown) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  runner.SetError(kAptSim, absl::DeadlineExceededError("killed"));
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("apt-get -s timed out"));
}

TEST(OsUpdatesCollectorTest, TruncatedAptOutputIsUnknown) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  runner.Set(kAptSim, Ok(Fixture("os_updates/apt_dist_upgrade_truncated.txt")));
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("unparseable"));
}

TEST(OsUpdatesCollectorTest, NoPackageManagerIsUnknownNamingBoth) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("apt-get not installed"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("dnf not installed"));
}

TEST(OsUpdatesCollectorTest, DnfHappyPathWithInstallTimer) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  runner.Set(kDnfCheck,
             Ok(Fixture("os_updates/dnf_check_update_fedora.txt"), 100));
  runner.Set(kDnfSecurity,
             Ok(Fixture("os_updates/dnf_updateinfo_security_fedora.txt")));
  runner.Set(kDnfHistory, Ok(Fixture("os_updates/dnf_history_list.txt")));
  system.links
      ["/etc/systemd/system/timers.target.wants/dnf-automatic-install.timer"] =
      "/usr/lib/systemd/system/dnf-automatic-install.timer";
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK) << table.unknown_reason();
  EXPECT_EQ(TextCell(table, "manager"), "dnf");
  EXPECT_EQ(IntCell(table, "pending"), 7);
  EXPECT_EQ(IntCell(table, "pending_security"), 4);
  EXPECT_EQ(IntCell(table, "days_since_last_update"), 13);
  EXPECT_EQ(BoolCell(table, "automatic_updates"), true);
}

TEST(OsUpdatesCollectorTest, DnfAutomaticTimerFollowsApplyUpdates) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  runner.Set(kDnfCheck, Ok("", 0));
  system.links["/etc/systemd/system/timers.target.wants/dnf-automatic.timer"] =
      "/usr/lib/systemd/system/dnf-automatic.timer";
  system.files["/etc/dnf/automatic.conf"] =
      Fixture("os_updates/dnf_automatic_default.conf");
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(IntCell(table, "pending"), 0);
  EXPECT_EQ(IntCell(table, "pending_security"), std::nullopt);
  EXPECT_EQ(BoolCell(table, "automatic_updates"), false);
}

TEST(OsUpdatesCollectorTest, DnfWithoutCacheIsUnknown) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  CommandResult no_cache;
  no_cache.exit_code = 1;
  no_cache.stderr_text = Fixture("os_updates/dnf_no_cache_stderr.txt");
  runner.Set(kDnfCheck, no_cache);
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("Cache-only"));
}

TEST(OsUpdatesCollectorTest, DnfTimeoutIsUnknown) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  runner.SetError(kDnfCheck, absl::DeadlineExceededError("killed"));
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("dnf timed out"));
}

TEST(OsUpdatesCollectorTest, RealMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable table = NewOsUpdatesCollector()->Collect(ctx);
  test_support::ExpectValidRealTable(table, "os_updates");
}

}  // namespace
}  // namespace trellis::agent::linux_facts
