#include "agent/facts/windows/firewall_parser.h"
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

TEST(WindowsFirewallTest, NumericEnums) {
  auto p = ParseNetFirewallProfiles(Fixture("firewall_profiles.json"));
  ASSERT_TRUE(p.ok()) << p.status();
  v1::FactTable t = BuildFirewallTable(*p);
  ASSERT_EQ(t.rows_size(), 3);
  EXPECT_EQ(RowString(t, 0),
            "backend=windows profile=domain enabled=true "
            "default_inbound_policy=drop");
  // NotConfigured inbound action: Windows' default, which blocks.
  EXPECT_EQ(RowString(t, 1),
            "backend=windows profile=private enabled=true "
            "default_inbound_policy=drop");
  EXPECT_EQ(RowString(t, 2),
            "backend=windows profile=public enabled=false "
            "default_inbound_policy=accept");
}

TEST(WindowsFirewallTest, EnumNames) {
  auto p = ParseNetFirewallProfiles(Fixture("firewall_profiles_names.json"));
  ASSERT_TRUE(p.ok()) << p.status();
  v1::FactTable t = BuildFirewallTable(*p);
  ASSERT_EQ(t.rows_size(), 3);
  EXPECT_EQ(RowString(t, 0),
            "backend=windows profile=domain enabled=true "
            "default_inbound_policy=drop");
  EXPECT_EQ(RowString(t, 1),
            "backend=windows profile=private enabled=true "
            "default_inbound_policy=drop");
  EXPECT_EQ(RowString(t, 2),
            "backend=windows profile=public enabled=false "
            "default_inbound_policy=accept");
}

TEST(WindowsFirewallTest, SingleProfileAndOddValues) {
  auto p = ParseNetFirewallProfiles(
      R"({"Name": "Public", "Enabled": true, "DefaultInboundAction": 9})");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(RowString(BuildFirewallTable(*p), 0),
            "backend=windows profile=public enabled=true "
            "default_inbound_policy=unknown");
  p = ParseNetFirewallProfiles(R"({"Name": "Domain", "Enabled": null})");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(RowString(BuildFirewallTable(*p), 0),
            "backend=windows profile=domain enabled=NULL "
            "default_inbound_policy=unknown");
}

TEST(WindowsFirewallTest, WarningBeforeTheJson) {
  auto p = ParseNetFirewallProfiles(Fixture("firewall_warning_prefix.txt"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->size(), 3u);
}

TEST(WindowsFirewallTest, OddOutputsAreErrors) {
  EXPECT_THAT(ParseNetFirewallProfiles("").status().message(),
              HasSubstr("no firewall profiles"));
  EXPECT_THAT(
      ParseNetFirewallProfiles(R"([{"Enabled": 1}])").status().message(),
      HasSubstr("no Name"));
  EXPECT_FALSE(ParseNetFirewallProfiles("[{\"Name\": \"Dom").ok());
}

TEST(WindowsFirewallCollectorTest, HappyPathDespiteProgressOnStderr) {
  FakeCommandRunner runner;
  runner.Set(Key(kFirewallScript), Ok(Fixture("firewall_profiles.json"),
                                      Fixture("clixml_progress_stderr.txt")));
  auto collector = NewFirewallCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(t.rows_size(), 3);
}

TEST(WindowsFirewallCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewFirewallCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("Get-NetFirewallProfile (PowerShell): powershell.exe"));
}

TEST(WindowsFirewallCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kFirewallScript),
             Result(1, "", Fixture("clixml_error_stderr.txt")));
  auto collector = NewFirewallCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("Accès refusé"));
}

TEST(WindowsFirewallCollectorTest, EmptyOutputIsUnknownNotNoFirewall) {
  FakeCommandRunner runner;
  runner.Set(Key(kFirewallScript), Ok(""));
  auto collector = NewFirewallCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("no firewall profiles"));
}

}  // namespace
}  // namespace trellis::agent::windows_facts
