#include "agent/facts/macos/firewall_parser.h"
#include "agent/facts/macos/macos_collectors.h"
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

constexpr char kCommand[] =
    "/usr/libexec/ApplicationFirewall/socketfilterfw --getglobalstate";

TEST(MacosSocketFilterFwTest, Enabled) {
  auto s =
      ParseSocketFilterFwGlobalState(Fixture("socketfilterfw_enabled.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, 1);
  EXPECT_EQ(RowString(BuildFirewallTable(*s), 0),
            "backend=socketfilterfw profile=default enabled=true "
            "default_inbound_policy=unknown");
}

TEST(MacosSocketFilterFwTest, Disabled) {
  auto s =
      ParseSocketFilterFwGlobalState(Fixture("socketfilterfw_disabled.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, 0);
  EXPECT_EQ(RowString(BuildFirewallTable(*s), 0),
            "backend=socketfilterfw profile=default enabled=false "
            "default_inbound_policy=accept");
}

TEST(MacosSocketFilterFwTest, BlockAll) {
  auto s =
      ParseSocketFilterFwGlobalState(Fixture("socketfilterfw_block_all.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, 2);
  EXPECT_EQ(DefaultInboundPolicy(*s), "drop");
}

TEST(MacosSocketFilterFwTest, ManagedNoticeBeforeStateIsIgnored) {
  auto s =
      ParseSocketFilterFwGlobalState(Fixture("socketfilterfw_managed.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, 1);
}

TEST(MacosSocketFilterFwTest, SentenceWithoutStateNumber) {
  auto s = ParseSocketFilterFwGlobalState("Firewall is disabled.\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, 0);
  s = ParseSocketFilterFwGlobalState(
      "Firewall is blocking all non-essential incoming connections.\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, 2);
}

TEST(MacosSocketFilterFwTest, OddOutputsAreErrors) {
  // Cut off mid-word: "enab" is neither enabled nor disabled.
  EXPECT_FALSE(
      ParseSocketFilterFwGlobalState(Fixture("socketfilterfw_truncated.txt"))
          .ok());
  EXPECT_FALSE(ParseSocketFilterFwGlobalState("").ok());
  EXPECT_THAT(ParseSocketFilterFwGlobalState("Firewall is enabled. (State = 7)")
                  .status()
                  .message(),
              HasSubstr("unknown firewall state 7"));
  EXPECT_FALSE(
      ParseSocketFilterFwGlobalState("Die Firewall ist aktiviert.\n").ok());
}

TEST(MacosFirewallCollectorTest, HappyPath) {
  FakeCommandRunner runner;
  runner.Set(kCommand, Ok(Fixture("socketfilterfw_block_all.txt")));
  auto collector = NewFirewallCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0),
            "backend=socketfilterfw profile=default enabled=true "
            "default_inbound_policy=drop");
}

TEST(MacosFirewallCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewFirewallCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr(kCommand));
  EXPECT_THAT(t.unknown_reason(), HasSubstr("not installed"));
}

TEST(MacosFirewallCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(kCommand, Result(255, "", "Must be root to use this option.\n"));
  auto collector = NewFirewallCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("exited with status 255: Must be root"));
}

TEST(MacosFirewallCollectorTest, UnparseableIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(kCommand, Ok(Fixture("socketfilterfw_truncated.txt")));
  auto collector = NewFirewallCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("no firewall state"));
}

}  // namespace
}  // namespace trellis::agent::macos_facts
