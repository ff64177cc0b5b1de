#include "agent/facts/linux/secure_boot_collector.h"

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
using ::testing::IsEmpty;

constexpr char kVar[] =
    "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c";
constexpr char kMokutil[] = "mokutil --sb-state";

CommandResult Out(std::string out, std::string err = "", int code = 0) {
  CommandResult r;
  r.stdout_text = std::move(out);
  r.stderr_text = std::move(err);
  r.exit_code = code;
  return r;
}

// A UEFI machine with efivarfs mounted.
FakeLinuxSystem Uefi() {
  FakeLinuxSystem system;
  system.dirs.insert("/sys/firmware/acpi");
  system.files
      ["/sys/firmware/efi/efivars/"
       "BootOrder-8be4df61-93ca-11d2-aa0d-00e098032b8c"] =
      std::string("\x07\x00\x00\x00\x01\x00", 6);
  return system;
}

// UEFI, but efivarfs not mounted (the mount point is there, empty).
FakeLinuxSystem UefiWithoutEfivarfs() {
  FakeLinuxSystem system;
  system.dirs.insert("/sys/firmware/acpi");
  system.dirs.insert("/sys/firmware/efi/efivars");
  system.files["/sys/firmware/efi/fw_platform_size"] = "64\n";
  return system;
}

v1::FactTable CollectTable(FakeLinuxSystem& system, FakeCommandRunner& runner) {
  FakeClock clock;
  CollectContext ctx{&system, &runner, &clock};
  v1::FactTable table = NewSecureBootCollector()->Collect(ctx);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(table).ok());
  return table;
}

TEST(ParseSecureBootEfivarTest, RecordedVariables) {
  EXPECT_EQ(
      ParseSecureBootEfivar(Fixture("secure_boot/SecureBoot_enabled.efivar"))
          .value_or(false),
      true);
  EXPECT_EQ(
      ParseSecureBootEfivar(Fixture("secure_boot/SecureBoot_disabled.efivar"))
          .value_or(true),
      false);
}

TEST(ParseSecureBootEfivarTest, WrongSizeOrValueIsAnError) {
  EXPECT_FALSE(
      ParseSecureBootEfivar(Fixture("secure_boot/SecureBoot_truncated.efivar"))
          .ok());
  EXPECT_FALSE(ParseSecureBootEfivar("").ok());
  EXPECT_FALSE(
      ParseSecureBootEfivar(std::string("\x06\x00\x00\x00\x02", 5)).ok());
  EXPECT_FALSE(
      ParseSecureBootEfivar(std::string("\x06\x00\x00\x00\x01\x00", 6)).ok());
}

TEST(ParseMokutilSbStateTest, RecordedOutputs) {
  auto on = ParseMokutilSbState(Fixture("secure_boot/mokutil_enabled.txt"));
  ASSERT_TRUE(on.ok()) << on.status();
  EXPECT_TRUE(on->supported);
  EXPECT_TRUE(on->enabled);
  EXPECT_EQ(on->source, "mokutil");

  auto off = ParseMokutilSbState(
      Fixture("secure_boot/mokutil_disabled_setup_mode.txt"));
  ASSERT_TRUE(off.ok());
  EXPECT_TRUE(off->supported);
  EXPECT_FALSE(off->enabled);

  auto none =
      ParseMokutilSbState(Fixture("secure_boot/mokutil_no_secureboot.txt"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->supported);
  EXPECT_FALSE(none->enabled);
}

TEST(ParseMokutilSbStateTest, UnreadableVariablesAndJunkAreErrors) {
  EXPECT_FALSE(
      ParseMokutilSbState(Fixture("secure_boot/mokutil_no_efivars_stderr.txt"))
          .ok());
  EXPECT_FALSE(ParseMokutilSbState("").ok());
  EXPECT_FALSE(ParseMokutilSbState("Segmentation fault").ok());
}

TEST(SecureBootCollectorTest, LegacyBiosIsDefinitelyOff) {
  FakeLinuxSystem system;
  system.dirs.insert("/sys/firmware/acpi");
  system.dirs.insert("/sys/firmware/memmap");
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(BoolCell(table, "supported"), false);
  EXPECT_EQ(BoolCell(table, "enabled"), false);
  EXPECT_EQ(TextCell(table, "source"), "efivars");
  EXPECT_THAT(runner.calls(), IsEmpty());
}

TEST(SecureBootCollectorTest, EfivarEnabled) {
  FakeLinuxSystem system = Uefi();
  system.files[kVar] = Fixture("secure_boot/SecureBoot_enabled.efivar");
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(BoolCell(table, "supported"), true);
  EXPECT_EQ(BoolCell(table, "enabled"), true);
  EXPECT_EQ(TextCell(table, "source"), "efivars");
  EXPECT_THAT(runner.calls(), IsEmpty());
}

TEST(SecureBootCollectorTest, EfivarDisabled) {
  FakeLinuxSystem system = Uefi();
  system.files[kVar] = Fixture("secure_boot/SecureBoot_disabled.efivar");
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(BoolCell(table, "supported"), true);
  EXPECT_EQ(BoolCell(table, "enabled"), false);
}

TEST(SecureBootCollectorTest, UefiWithoutTheVariableCannotBeOn) {
  FakeLinuxSystem system = Uefi();
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(BoolCell(table, "supported"), true);
  EXPECT_EQ(BoolCell(table, "enabled"), false);
}

TEST(SecureBootCollectorTest, MokutilWhenEfivarfsIsNotMounted) {
  FakeLinuxSystem system = UefiWithoutEfivarfs();
  FakeCommandRunner runner;
  runner.Set(kMokutil, Out(Fixture("secure_boot/mokutil_enabled.txt")));
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(BoolCell(table, "enabled"), true);
  EXPECT_EQ(TextCell(table, "source"), "mokutil");
}

TEST(SecureBootCollectorTest, MokutilWhenVariableIsUnreadable) {
  FakeLinuxSystem system = Uefi();
  system.errors[kVar] = absl::PermissionDeniedError("cannot open SecureBoot");
  FakeCommandRunner runner;
  runner.Set(kMokutil,
             Out("", Fixture("secure_boot/mokutil_disabled_setup_mode.txt")));
  v1::FactTable table = CollectTable(system, runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(BoolCell(table, "enabled"), false);
  EXPECT_EQ(TextCell(table, "source"), "mokutil");
}

TEST(SecureBootCollectorTest, NoEfivarfsAndNoMokutilIsUnknownNamingBoth) {
  FakeLinuxSystem system = UefiWithoutEfivarfs();
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("efivarfs not mounted"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("mokutil not installed"));
}

TEST(SecureBootCollectorTest, CorruptVariableAndMokutilTimeoutIsUnknown) {
  FakeLinuxSystem system = Uefi();
  system.files[kVar] = Fixture("secure_boot/SecureBoot_truncated.efivar");
  FakeCommandRunner runner;
  runner.SetError(kMokutil, absl::DeadlineExceededError("killed"));
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("4 bytes"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("mokutil timed out"));
}

TEST(SecureBootCollectorTest, MokutilThatCannotReadVariablesIsUnknown) {
  FakeLinuxSystem system = UefiWithoutEfivarfs();
  FakeCommandRunner runner;
  runner.Set(
      kMokutil,
      Out("", Fixture("secure_boot/mokutil_no_efivars_stderr.txt"), 255));
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("EFI variables"));
}

TEST(SecureBootCollectorTest, NoSysfsIsUnknown) {
  FakeLinuxSystem system;
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(system, runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("/sys/firmware"));
}

TEST(SecureBootCollectorTest, RealMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable table = NewSecureBootCollector()->Collect(ctx);
  test_support::ExpectValidRealTable(table, "secure_boot");
}

}  // namespace
}  // namespace trellis::agent::linux_facts
