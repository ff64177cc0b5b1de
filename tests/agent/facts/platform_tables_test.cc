// Each platform's agent produces exactly the tables the schema gives that
// platform's bit: docs/facts.md (rendered from the schema) never lists a
// table for a platform whose agent cannot send it, and no collector sends a
// table the schema does not expect there.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agent/facts/android/android_collectors.h"
#include "agent/facts/collector.h"
#include "agent/facts/linux/linux_collectors.h"
#include "agent/facts/macos/macos_collectors.h"
#include "agent/facts/report_collector.h"
#include "agent/facts/windows/windows_collectors.h"
#include "common/exec/command_runner.h"
#include "common/facts/fact_schema.h"
#include "common/policy/evaluator.h"
#include "common/policy/policy_loader.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

using ::testing::ContainerEq;

// What a report of this platform's agent holds: a table per collector,
// plus the agent's own table (report_collector.h adds it everywhere).
std::set<std::string> ProducedTables(
    const std::vector<std::unique_ptr<Collector>>& collectors) {
  std::set<std::string> tables;
  for (const auto& collector : collectors) {
    EXPECT_TRUE(tables.insert(collector->table()).second)
        << "two collectors for " << collector->table();
  }
  tables.insert(AgentTable(AgentFacts()).name());
  return tables;
}

std::set<std::string> SchemaTables(uint32_t platform_bit) {
  std::set<std::string> tables;
  for (const facts::TableSpec& t : facts::FactSchema()) {
    if (t.platforms & platform_bit) tables.insert(t.name);
  }
  return tables;
}

TEST(PlatformTablesTest, LinuxCollectsExactlyItsSchemaTables) {
  EXPECT_THAT(ProducedTables(linux_facts::AllLinuxCollectors()),
              ContainerEq(SchemaTables(facts::kLinux)));
}

TEST(PlatformTablesTest, MacosCollectsExactlyItsSchemaTables) {
  EXPECT_THAT(ProducedTables(macos_facts::AllMacosCollectors()),
              ContainerEq(SchemaTables(facts::kMacos)));
}

TEST(PlatformTablesTest, WindowsCollectsExactlyItsSchemaTables) {
  EXPECT_THAT(ProducedTables(windows_facts::AllWindowsCollectors()),
              ContainerEq(SchemaTables(facts::kWindows)));
}

TEST(PlatformTablesTest, AndroidCollectsExactlyItsSchemaTables) {
  EXPECT_THAT(ProducedTables(android_facts::AllAndroidCollectors()),
              ContainerEq(SchemaTables(facts::kAndroid)));
}

TEST(PlatformTablesTest, IosHasNoAgentSoNoTableClaimsIos) {
  EXPECT_THAT(SchemaTables(facts::kIos), ::testing::IsEmpty());
}

// The agent's own evaluation (trellis-agent checklist): a check over a
// table its platform has no collector for is not applicable, not an error
// for a table "unknown on this device".
TEST(PlatformTablesTest, CheckOverATableThePlatformLacksIsNotApplicable) {
  auto policy = policy::ParsePolicyYaml(R"(id: p
title: P
enforcement: restrict
checks:
  - id: screen-lock
    title: Screen locks
    query: SELECT 1 FROM screen_lock WHERE enabled
  - id: firewall
    title: Firewall on
    query: SELECT 1 FROM firewall WHERE enabled
)",
                                        "p.yaml");
  ASSERT_TRUE(policy.ok()) << policy.status();
  v1::PolicyBundle bundle;
  bundle.set_version(1);
  *bundle.add_policies() = *policy;
  auto evaluator = policy::Evaluator::Compile(bundle);
  ASSERT_TRUE(evaluator.ok()) << evaluator.status();

  // Windows has no screen_lock collector; its firewall collector finds no
  // tools here, so that table is unknown (an error, never a pass).
  FakeCommandRunner runner;
  FakeClock clock(absl::FromUnixSeconds(1767225600));
  CollectContext context{nullptr, &runner, &clock};
  AgentFacts agent;
  agent.ownership = "corporate";
  v1::PostureReport report =
      CollectReport(windows_facts::AllWindowsCollectors(), context,
                    v1::PLATFORM_WINDOWS, agent);
  v1::Verdict verdict =
      (*evaluator)
          ->Evaluate({v1::PLATFORM_WINDOWS, v1::OWNERSHIP_CORPORATE, ""},
                     report);
  ASSERT_EQ(verdict.results_size(), 2);
  EXPECT_EQ(verdict.results(0).state(), v1::CHECK_STATE_NOT_APPLICABLE)
      << verdict.results(0).error();
  EXPECT_EQ(verdict.results(1).state(), v1::CHECK_STATE_ERROR);
}

}  // namespace
}  // namespace trellis::agent
