#include "agent/facts/linux/os_version_collector.h"

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

using test_support::FakeLinuxSystem;
using test_support::Fixture;
using test_support::TextCell;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::FactTable CollectTable(FakeLinuxSystem& system) {
  FakeCommandRunner runner;
  FakeClock clock;
  CollectContext ctx{&system, &runner, &clock};
  v1::FactTable table = NewOsVersionCollector()->Collect(ctx);
  // os_version needs no commands; running one would be a regression.
  EXPECT_TRUE(runner.calls().empty());
  return table;
}

TEST(ParseOsVersionTest, Debian12) {
  OsVersion v = ParseOsVersion(Fixture("os_version/debian12_os-release"));
  EXPECT_EQ(v.name, "Debian GNU/Linux");
  EXPECT_EQ(v.version, "12 (bookworm)");
  EXPECT_EQ(v.version_id, "12");
  EXPECT_EQ(v.id, "debian");
  EXPECT_EQ(v.pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(v.kernel_release, std::nullopt);
}

TEST(ParseOsVersionTest, Ubuntu2404) {
  OsVersion v = ParseOsVersion(Fixture("os_version/ubuntu2404_os-release"));
  EXPECT_EQ(v.name, "Ubuntu");
  EXPECT_EQ(v.version, "24.04.1 LTS (Noble Numbat)");
  EXPECT_EQ(v.version_id, "24.04");
  EXPECT_EQ(v.id, "ubuntu");
  EXPECT_EQ(v.pretty_name, "Ubuntu 24.04.1 LTS");
}

TEST(ParseOsVersionTest, Fedora40UnquotedVersionId) {
  OsVersion v = ParseOsVersion(Fixture("os_version/fedora40_os-release"));
  EXPECT_EQ(v.name, "Fedora Linux");
  EXPECT_EQ(v.version, "40 (Workstation Edition)");
  EXPECT_EQ(v.version_id, "40");
  EXPECT_EQ(v.id, "fedora");
}

TEST(ParseOsVersionTest, RollingReleaseHasNoVersion) {
  OsVersion v = ParseOsVersion(Fixture("os_version/arch_os-release"));
  EXPECT_EQ(v.name, "Arch Linux");
  EXPECT_EQ(v.id, "arch");
  EXPECT_EQ(v.version, std::nullopt);
  EXPECT_EQ(v.version_id, std::nullopt);
}

TEST(ParseOsVersionTest, EmptyValueIsNullNotEmptyText) {
  OsVersion v = ParseOsVersion("ID=x\nVERSION=\"\"\n");
  EXPECT_EQ(v.id, "x");
  EXPECT_EQ(v.version, std::nullopt);
}

TEST(ParseOsVersionTest, EmptyAndGarbageInputGiveNothing) {
  OsVersion empty = ParseOsVersion("");
  EXPECT_EQ(empty.name, std::nullopt);
  EXPECT_EQ(empty.id, std::nullopt);
  OsVersion garbage = ParseOsVersion(
      "\x7f"
      "ELF\x02\x01\x01 binary junk\n");
  EXPECT_EQ(garbage.id, std::nullopt);
}

TEST(OsVersionTableTest, HasEveryDeclaredColumnAndNullPatchLevel) {
  OsVersion v = ParseOsVersion(Fixture("os_version/debian12_os-release"));
  AddUname(UnameInfo{"Linux", "h", "6.1.0-18-amd64", "x86_64"}, &v);
  v1::FactTable table = OsVersionTable(v);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(table).ok());
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  std::vector<std::string> columns(table.columns().begin(),
                                   table.columns().end());
  EXPECT_THAT(columns,
              ElementsAre("name", "version", "version_id", "id", "pretty_name",
                          "kernel_release", "arch", "security_patch_level"));
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(TextCell(table, "kernel_release"), "6.1.0-18-amd64");
  EXPECT_EQ(TextCell(table, "arch"), "x86_64");
  EXPECT_EQ(TextCell(table, "security_patch_level"), std::nullopt);
}

TEST(OsVersionCollectorTest, ReadsEtcOsReleaseAndUname) {
  FakeLinuxSystem system;
  system.files["/etc/os-release"] = Fixture("os_version/debian12_os-release");
  system.uname = UnameInfo{"Linux", "n", "6.1.0-25-arm64", "aarch64"};
  v1::FactTable table = CollectTable(system);
  EXPECT_EQ(table.name(), "os_version");
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(TextCell(table, "id"), "debian");
  EXPECT_EQ(TextCell(table, "version_id"), "12");
  EXPECT_EQ(TextCell(table, "kernel_release"), "6.1.0-25-arm64");
  EXPECT_EQ(TextCell(table, "arch"), "aarch64");
}

TEST(OsVersionCollectorTest, FallsBackToUsrLibOsRelease) {
  FakeLinuxSystem system;
  system.files["/usr/lib/os-release"] =
      Fixture("os_version/fedora40_os-release");
  v1::FactTable table = CollectTable(system);
  EXPECT_EQ(TextCell(table, "id"), "fedora");
  EXPECT_THAT(system.reads,
              ElementsAre("/etc/os-release", "/usr/lib/os-release"));
}

TEST(OsVersionCollectorTest, EtcWinsOverUsrLib) {
  FakeLinuxSystem system;
  system.files["/etc/os-release"] = "ID=debian\n";
  system.files["/usr/lib/os-release"] = "ID=fedora\n";
  EXPECT_EQ(TextCell(CollectTable(system), "id"), "debian");
}

TEST(OsVersionCollectorTest, UnreadableOsReleaseKeepsKernelFacts) {
  FakeLinuxSystem system;
  system.errors["/etc/os-release"] =
      absl::PermissionDeniedError("cannot open /etc/os-release");
  v1::FactTable table = CollectTable(system);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(TextCell(table, "id"), std::nullopt);
  EXPECT_EQ(TextCell(table, "kernel_release"), "6.1.0-18-amd64");
}

TEST(OsVersionCollectorTest, UnameFailureLeavesKernelNull) {
  FakeLinuxSystem system;
  system.files["/etc/os-release"] = "ID=debian\n";
  system.uname = absl::InternalError("uname failed");
  v1::FactTable table = CollectTable(system);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(TextCell(table, "kernel_release"), std::nullopt);
  EXPECT_EQ(TextCell(table, "arch"), std::nullopt);
}

TEST(OsVersionCollectorTest, NothingReadableIsUnknownNamingBoth) {
  FakeLinuxSystem system;
  system.uname = absl::InternalError("uname failed");
  v1::FactTable table = CollectTable(system);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(table.rows_size(), 0);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("os-release"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("uname"));
  EXPECT_TRUE(facts::CheckTableAgainstSchema(table).ok());
}

TEST(OsVersionCollectorTest, RealMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable table = NewOsVersionCollector()->Collect(ctx);
  test_support::ExpectValidRealTable(table, "os_version");
  // Every Linux machine this runs on has a kernel to report.
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_NE(TextCell(table, "kernel_release"), std::nullopt);
}

}  // namespace
}  // namespace trellis::agent::linux_facts
