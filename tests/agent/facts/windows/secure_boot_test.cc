#include "agent/facts/windows/secure_boot_parser.h"
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

std::string Row(const SecureBootState& s) {
  return RowString(BuildSecureBootTable(s), 0);
}

TEST(WindowsSecureBootTest, EnabledAndDisabled) {
  auto on = ParseConfirmSecureBootUefi(Ok(Fixture("secureboot_true.json")));
  ASSERT_TRUE(on.ok()) << on.status();
  EXPECT_EQ(Row(*on), "supported=true enabled=true source=windows");
  auto off = ParseConfirmSecureBootUefi(Ok(Fixture("secureboot_false.json")));
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_EQ(Row(*off), "supported=true enabled=false source=windows");
}

TEST(WindowsSecureBootTest, PlainTextWithoutConvertToJson) {
  auto on = ParseConfirmSecureBootUefi(Ok("True\r\n"));
  ASSERT_TRUE(on.ok()) << on.status();
  EXPECT_TRUE(on->enabled);
  auto off = ParseConfirmSecureBootUefi(Ok("\"False\"\r\n"));
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_FALSE(off->enabled);
}

TEST(WindowsSecureBootTest, LegacyBiosIsUnsupported) {
  auto s = ParseConfirmSecureBootUefi(
      Result(1, "", Fixture("secureboot_unsupported.txt")));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(Row(*s), "supported=false enabled=false source=windows");
}

TEST(WindowsSecureBootTest, LegacyBiosInGermanIsUnsupported) {
  auto s = ParseConfirmSecureBootUefi(
      Result(1, "", Fixture("secureboot_unsupported_de.txt")));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->supported);
}

TEST(WindowsSecureBootTest, UefiWithoutSecureBootVariable) {
  auto s = ParseConfirmSecureBootUefi(
      Result(1, "", Fixture("secureboot_variable_undefined.txt")));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(Row(*s), "supported=true enabled=false source=windows");
}

TEST(WindowsSecureBootTest, AccessDeniedIsAnError) {
  auto s = ParseConfirmSecureBootUefi(
      Result(1, "", Fixture("secureboot_access_denied.txt")));
  EXPECT_THAT(s.status().message(), HasSubstr("Access was denied"));
}

TEST(WindowsSecureBootTest, OddOutputsAreErrors) {
  EXPECT_FALSE(ParseConfirmSecureBootUefi(Ok("")).ok());
  EXPECT_FALSE(ParseConfirmSecureBootUefi(Ok("1\r\n")).ok());
  EXPECT_FALSE(ParseConfirmSecureBootUefi(Ok("tru")).ok());
}

TEST(WindowsSecureBootCollectorTest, HappyPath) {
  FakeCommandRunner runner;
  runner.Set(Key(kSecureBootScript), Ok(Fixture("secureboot_true.json")));
  auto collector = NewSecureBootCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0), "supported=true enabled=true source=windows");
}

TEST(WindowsSecureBootCollectorTest, UnsupportedIsAnAnswerNotUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kSecureBootScript),
             Result(1, "", Fixture("secureboot_unsupported.txt")));
  auto collector = NewSecureBootCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(RowString(t, 0), "supported=false enabled=false source=windows");
}

TEST(WindowsSecureBootCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewSecureBootCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("Confirm-SecureBootUEFI (PowerShell): powershell.exe"));
}

TEST(WindowsSecureBootCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kSecureBootScript),
             Result(1, "", Fixture("secureboot_access_denied.txt")));
  auto collector = NewSecureBootCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("exited with status 1: Confirm-SecureBootUEFI : "
                        "Access was denied."));
}

}  // namespace
}  // namespace trellis::agent::windows_facts
