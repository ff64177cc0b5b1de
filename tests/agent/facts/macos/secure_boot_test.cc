#include "agent/facts/macos/macos_collectors.h"
#include "agent/facts/macos/secure_boot_parser.h"
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

TEST(MacosCsrutilTest, Enabled) {
  auto s = ParseCsrutilStatus(Fixture("csrutil_enabled.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->status, "enabled");
  EXPECT_FALSE(s->custom_configuration);
  EXPECT_EQ(SipEnforcing(*s), true);
}

TEST(MacosCsrutilTest, Disabled) {
  auto s = ParseCsrutilStatus(Fixture("csrutil_disabled.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(SipEnforcing(*s), false);
  EXPECT_EQ(RowString(BuildSecureBootTable(*s), 0),
            "supported=true enabled=false source=csrutil");
}

TEST(MacosCsrutilTest, CustomConfigurationWithAProtectionOff) {
  auto s = ParseCsrutilStatus(Fixture("csrutil_custom.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->status, "unknown");
  EXPECT_TRUE(s->custom_configuration);
  ASSERT_EQ(s->protections.size(), 10u);
  EXPECT_EQ(s->protections[2].first, "Filesystem Protections");
  EXPECT_FALSE(s->protections[2].second);
  EXPECT_EQ(SipEnforcing(*s), false);
}

TEST(MacosCsrutilTest, CustomConfigurationAllProtectionsOn) {
  // Catalina printed "enabled (Custom Configuration)"; only Apple Internal,
  // which is off on every shipping Mac, is disabled here.
  auto s =
      ParseCsrutilStatus(Fixture("csrutil_custom_all_enabled_catalina.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->custom_configuration);
  EXPECT_EQ(s->protections.size(), 7u);
  EXPECT_EQ(SipEnforcing(*s), true);
}

TEST(MacosCsrutilTest, CustomConfigurationWithoutListIsUnknown) {
  auto s = ParseCsrutilStatus(
      "System Integrity Protection status: unknown (Custom Configuration).\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(SipEnforcing(*s), std::nullopt);
  EXPECT_EQ(RowString(BuildSecureBootTable(*s), 0),
            "supported=true enabled=NULL source=csrutil");
}

TEST(MacosCsrutilTest, OddOutputsAreErrors) {
  EXPECT_THAT(
      ParseCsrutilStatus(Fixture("csrutil_error.txt")).status().message(),
      HasSubstr("Recovery OS"));
  EXPECT_FALSE(ParseCsrutilStatus("").ok());
  EXPECT_FALSE(
      ParseCsrutilStatus("System Integrity Protection status: \n").ok());
  EXPECT_FALSE(ParseCsrutilStatus("System Integrity Prot").ok());
}

TEST(MacosSecureBootCollectorTest, HappyPath) {
  FakeCommandRunner runner;
  runner.Set("csrutil status", Ok(Fixture("csrutil_enabled.txt")));
  auto collector = NewSecureBootCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0), "supported=true enabled=true source=csrutil");
}

TEST(MacosSecureBootCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewSecureBootCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("csrutil status: csrutil is not"));
}

TEST(MacosSecureBootCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("csrutil status", Result(1, Fixture("csrutil_error.txt")));
  auto collector = NewSecureBootCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("exited with status 1"));
  EXPECT_THAT(t.unknown_reason(), HasSubstr("Recovery OS"));
}

TEST(MacosSecureBootCollectorTest, UnparseableIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("csrutil status", Ok("usage: csrutil <command>\n"));
  auto collector = NewSecureBootCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("no SIP status line"));
}

}  // namespace
}  // namespace trellis::agent::macos_facts
