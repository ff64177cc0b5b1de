#include "agent/facts/linux/firewall_collector.h"

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
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kUfw[] = "ufw status verbose";
constexpr char kNft[] = "nft -j list ruleset";
constexpr char kIptables[] = "iptables -S INPUT";
constexpr char kIp6tables[] = "ip6tables -S INPUT";

CommandResult Ok(std::string out) {
  CommandResult r;
  r.stdout_text = std::move(out);
  return r;
}

CommandResult Failed(int code, std::string err, std::string out = "") {
  CommandResult r;
  r.exit_code = code;
  r.stderr_text = std::move(err);
  r.stdout_text = std::move(out);
  return r;
}

v1::FactTable CollectTable(FakeCommandRunner& runner) {
  FakeLinuxSystem system;
  FakeClock clock;
  CollectContext ctx{&system, &runner, &clock};
  v1::FactTable table = NewFirewallCollector()->Collect(ctx);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(table).ok());
  return table;
}

FirewallState Nft(const std::string& fixture) {
  absl::StatusOr<FirewallState> s = ParseNftRuleset(Fixture(fixture));
  EXPECT_TRUE(s.ok()) << fixture << ": " << s.status();
  return s.value_or(FirewallState{});
}

TEST(ParseUfwStatusTest, ActiveDenyIncoming) {
  auto s = ParseUfwStatus(Fixture("firewall/ufw_status_verbose_active.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->backend, "ufw");
  EXPECT_TRUE(s->enabled);
  EXPECT_EQ(s->default_inbound_policy, "drop");
}

TEST(ParseUfwStatusTest, ActiveRejectIncoming) {
  auto s = ParseUfwStatus(Fixture("firewall/ufw_status_verbose_reject.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->default_inbound_policy, "reject");
}

TEST(ParseUfwStatusTest, Inactive) {
  auto s = ParseUfwStatus(Fixture("firewall/ufw_status_verbose_inactive.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->enabled);
  EXPECT_EQ(s->default_inbound_policy, std::nullopt);
}

TEST(ParseUfwStatusTest, ErrorTextAndEmptyAreNotAnAnswer) {
  EXPECT_FALSE(ParseUfwStatus(Fixture("firewall/ufw_not_root.txt")).ok());
  EXPECT_FALSE(ParseUfwStatus("").ok());
  EXPECT_FALSE(ParseUfwStatus("Status: confused\n").ok());
}

TEST(ParseNftRulesetTest, EmptyRulesetFromThisVm) {
  FirewallState s = Nft("firewall/nft_empty_ruleset.json");
  EXPECT_EQ(s.backend, "nftables");
  EXPECT_FALSE(s.enabled);
  EXPECT_EQ(s.default_inbound_policy, "accept");
}

TEST(ParseNftRulesetTest, DebianDefaultConfFiltersNothing) {
  FirewallState s = Nft("firewall/nft_debian_default_conf.json");
  EXPECT_FALSE(s.enabled);
  EXPECT_EQ(s.default_inbound_policy, "accept");
}

TEST(ParseNftRulesetTest, InetDropPolicyServer) {
  FirewallState s = Nft("firewall/nft_inet_drop_server.json");
  EXPECT_TRUE(s.enabled);
  // The last rule only counts; the policy still decides.
  EXPECT_EQ(s.default_inbound_policy, "drop");
}

TEST(ParseNftRulesetTest, FirewalldFinalRejectIsTheEffectivePolicy) {
  FirewallState s = Nft("firewall/nft_firewalld.json");
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.default_inbound_policy, "reject");
}

TEST(ParseNftRulesetTest, Ipv4OnlyRulesLeaveIpv6Open) {
  FirewallState s = Nft("firewall/nft_iptables_nft_ipv4_only.json");
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.default_inbound_policy, "accept");
}

TEST(ParseNftRulesetTest, DockerForwardRulesAreNotAnInputFirewall) {
  FirewallState s = Nft("firewall/nft_docker_only.json");
  EXPECT_FALSE(s.enabled);
  EXPECT_EQ(s.default_inbound_policy, "accept");
}

TEST(ParseNftRulesetTest, UnconditionalAcceptOverridesDropPolicy) {
  constexpr char kJson[] = R"({"nftables": [
    {"chain": {"family": "inet", "table": "t", "name": "in", "type": "filter",
               "hook": "input", "prio": 0, "policy": "drop"}},
    {"rule": {"family": "inet", "table": "t", "chain": "in",
              "expr": [{"counter": {"packets": 1, "bytes": 2}},
                       {"accept": null}]}}]})";
  auto s = ParseNftRuleset(kJson);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->enabled);
  EXPECT_EQ(s->default_inbound_policy, "accept");
}

TEST(ParseNftRulesetTest, IpAndIp6DropTogetherAreDrop) {
  constexpr char kJson[] = R"({"nftables": [
    {"chain": {"family": "ip", "table": "filter", "name": "INPUT",
               "hook": "input", "policy": "drop"}},
    {"chain": {"family": "ip6", "table": "filter", "name": "INPUT",
               "hook": "input", "policy": "drop"}},
    {"chain": {"family": "bridge", "table": "b", "name": "in",
               "hook": "input", "policy": "accept"}}]})";
  auto s = ParseNftRuleset(kJson);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->enabled);
  EXPECT_EQ(s->default_inbound_policy, "drop");
}

TEST(ParseNftRulesetTest, MalformedIsAnError) {
  EXPECT_FALSE(ParseNftRuleset(Fixture("firewall/nft_truncated.json")).ok());
  EXPECT_FALSE(ParseNftRuleset("").ok());
  EXPECT_FALSE(ParseNftRuleset("{}").ok());
  EXPECT_FALSE(ParseNftRuleset(R"({"nftables": [1]})").ok());
  EXPECT_FALSE(
      ParseNftRuleset(Fixture("firewall/nft_not_root_stderr.txt")).ok());
}

TEST(ParseIptablesInputTest, DropPolicyWithRules) {
  auto s = ParseIptablesInput(Fixture("firewall/iptables_S_input_drop.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->backend, "iptables");
  EXPECT_TRUE(s->enabled);
  EXPECT_EQ(s->default_inbound_policy, "drop");
}

TEST(ParseIptablesInputTest, AcceptPolicyNoRulesIsOff) {
  auto s = ParseIptablesInput(Fixture("firewall/iptables_S_input_empty.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->enabled);
  EXPECT_EQ(s->default_inbound_policy, "accept");
}

TEST(ParseIptablesInputTest, FinalCatchAllReject) {
  auto s =
      ParseIptablesInput(Fixture("firewall/iptables_S_input_final_reject.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->enabled);
  EXPECT_EQ(s->default_inbound_policy, "reject");
}

TEST(ParseIptablesInputTest, ConditionalDropIsNotAPolicy) {
  auto s = ParseIptablesInput("-P INPUT ACCEPT\n-A INPUT -i eth0 -j DROP\n");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->enabled);
  EXPECT_EQ(s->default_inbound_policy, "accept");
}

TEST(ParseIptablesInputTest, NoPolicyLineIsAnError) {
  EXPECT_FALSE(ParseIptablesInput("").ok());
  EXPECT_FALSE(
      ParseIptablesInput(Fixture("firewall/iptables_not_root_stderr.txt"))
          .ok());
}

TEST(CombineFamiliesTest, WeakerPolicyWins) {
  FirewallState v4{"iptables", true, "drop"};
  FirewallState v6{"iptables", false, "accept"};
  FirewallState both = CombineFamilies(v4, v6);
  EXPECT_TRUE(both.enabled);
  EXPECT_EQ(both.default_inbound_policy, "accept");
  EXPECT_EQ(CombineFamilies(v4, v4).default_inbound_policy, "drop");
}

TEST(FirewallCollectorTest, ActiveUfwWinsWithoutAskingTheKernel) {
  FakeCommandRunner runner;
  runner.Set(kUfw, Ok(Fixture("firewall/ufw_status_verbose_active.txt")));
  v1::FactTable table = CollectTable(runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(TextCell(table, "backend"), "ufw");
  EXPECT_EQ(TextCell(table, "profile"), "default");
  EXPECT_EQ(BoolCell(table, "enabled"), true);
  EXPECT_EQ(TextCell(table, "default_inbound_policy"), "drop");
  EXPECT_THAT(runner.calls(), ElementsAre(kUfw));
}

TEST(FirewallCollectorTest, NftablesWhenNoUfw) {
  FakeCommandRunner runner;
  runner.Set(kNft, Ok(Fixture("firewall/nft_inet_drop_server.json")));
  v1::FactTable table = CollectTable(runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(TextCell(table, "backend"), "nftables");
  EXPECT_EQ(BoolCell(table, "enabled"), true);
  EXPECT_EQ(TextCell(table, "default_inbound_policy"), "drop");
}

TEST(FirewallCollectorTest, InactiveUfwButNftRulesReportsNftables) {
  FakeCommandRunner runner;
  runner.Set(kUfw, Ok(Fixture("firewall/ufw_status_verbose_inactive.txt")));
  runner.Set(kNft, Ok(Fixture("firewall/nft_firewalld.json")));
  v1::FactTable table = CollectTable(runner);
  EXPECT_EQ(TextCell(table, "backend"), "nftables");
  EXPECT_EQ(BoolCell(table, "enabled"), true);
  EXPECT_EQ(TextCell(table, "default_inbound_policy"), "reject");
}

TEST(FirewallCollectorTest, InactiveUfwAndEmptyRulesetIsOffUnderUfw) {
  FakeCommandRunner runner;
  runner.Set(kUfw, Ok(Fixture("firewall/ufw_status_verbose_inactive.txt")));
  runner.Set(kNft, Ok(Fixture("firewall/nft_empty_ruleset.json")));
  runner.Set(kIptables, Ok(Fixture("firewall/iptables_S_input_empty.txt")));
  v1::FactTable table = CollectTable(runner);
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(TextCell(table, "backend"), "ufw");
  EXPECT_EQ(BoolCell(table, "enabled"), false);
  EXPECT_EQ(TextCell(table, "default_inbound_policy"), "accept");
}

TEST(FirewallCollectorTest, LegacyIptablesRulesInvisibleToNftAreFound) {
  FakeCommandRunner runner;
  runner.Set(kNft, Ok(Fixture("firewall/nft_empty_ruleset.json")));
  runner.Set(kIptables, Ok(Fixture("firewall/iptables_S_input_drop.txt")));
  runner.Set(kIp6tables, Ok(Fixture("firewall/iptables_S_input_drop.txt")));
  v1::FactTable table = CollectTable(runner);
  EXPECT_EQ(TextCell(table, "backend"), "iptables");
  EXPECT_EQ(BoolCell(table, "enabled"), true);
  EXPECT_EQ(TextCell(table, "default_inbound_policy"), "drop");
}

TEST(FirewallCollectorTest, IptablesOnlyIpv4FilteredIsAcceptOverall) {
  FakeCommandRunner runner;
  runner.Set(kIptables, Ok(Fixture("firewall/iptables_S_input_drop.txt")));
  runner.Set(kIp6tables, Ok(Fixture("firewall/ip6tables_S_input_accept.txt")));
  v1::FactTable table = CollectTable(runner);
  EXPECT_EQ(TextCell(table, "backend"), "iptables");
  EXPECT_EQ(BoolCell(table, "enabled"), true);
  EXPECT_EQ(TextCell(table, "default_inbound_policy"), "accept");
}

TEST(FirewallCollectorTest, Ip6tablesFailingUsesIpv4Answer) {
  FakeCommandRunner runner;
  runner.Set(kIptables, Ok(Fixture("firewall/iptables_S_input_drop.txt")));
  runner.Set(kIp6tables,
             Failed(3, Fixture("firewall/ip6tables_no_ipv6_stderr.txt")));
  v1::FactTable table = CollectTable(runner);
  EXPECT_EQ(TextCell(table, "backend"), "iptables");
  EXPECT_EQ(TextCell(table, "default_inbound_policy"), "drop");
}

TEST(FirewallCollectorTest, NothingInstalledIsUnknownNamingEachTool) {
  FakeCommandRunner runner;
  v1::FactTable table = CollectTable(runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(table.rows_size(), 0);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("ufw not installed"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("nft not installed"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("iptables not installed"));
}

TEST(FirewallCollectorTest, NonRootIsUnknownWithTheToolsComplaint) {
  FakeCommandRunner runner;
  runner.Set(kUfw, Failed(1, "", Fixture("firewall/ufw_not_root.txt")));
  runner.Set(kNft, Failed(1, Fixture("firewall/nft_not_root_stderr.txt")));
  runner.Set(kIptables,
             Failed(4, Fixture("firewall/iptables_not_root_stderr.txt")));
  v1::FactTable table = CollectTable(runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("need to be root"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("Operation not permitted"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("Permission denied"));
}

TEST(FirewallCollectorTest, TimeoutsAreUnknown) {
  FakeCommandRunner runner;
  for (const char* c : {kUfw, kNft, kIptables}) {
    runner.SetError(c, absl::DeadlineExceededError("killed"));
  }
  v1::FactTable table = CollectTable(runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("nft timed out"));
}

TEST(FirewallCollectorTest, TruncatedNftOutputIsNotTakenAsOff) {
  FakeCommandRunner runner;
  runner.Set(kNft, Ok(Fixture("firewall/nft_truncated.json")));
  v1::FactTable table = CollectTable(runner);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("nft output unparseable"));
}

TEST(FirewallCollectorTest, RealMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable table = NewFirewallCollector()->Collect(ctx);
  test_support::ExpectValidRealTable(table, "firewall");
}

}  // namespace
}  // namespace trellis::agent::linux_facts
