// Limits of a whole evaluation: its time budget per device, detail bytes per
// check and per verdict, 'now' taken from the report, and the cost estimate
// publishing uses to refuse a bundle that would not fit the budget.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/facts/table_builder.h"
#include "common/policy/bundle_cost.h"
#include "common/policy/evaluator.h"
#include "common/util/clock.h"
#include "common/util/proto_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace trellis::policy {
namespace {

using ::testing::HasSubstr;

// Advances by `step` each time it is read: time passes as checks run.
class SteppingClock : public Clock {
 public:
  explicit SteppingClock(absl::Duration step) : step_(step) {}
  absl::Time Now() const override {
    now_ += step_;
    return now_;
  }

 private:
  absl::Duration step_;
  mutable absl::Time now_ = absl::FromUnixSeconds(1767225600);
};

const DeviceContext kDevice{v1::PLATFORM_LINUX, v1::OWNERSHIP_CORPORATE, "g"};

v1::Policy MakePolicy(const std::string& id, int checks,
                      const std::string& query,
                      const std::string& detail_query = "",
                      v1::Enforcement enforcement = v1::ENFORCEMENT_RESTRICT) {
  v1::Policy p;
  p.set_id(id);
  p.set_title(id);
  p.set_enforcement(enforcement);
  for (int i = 0; i < checks; ++i) {
    v1::Check* c = p.add_checks();
    c->set_id(absl::StrCat("c", i));
    c->set_title(absl::StrCat("check ", i));
    c->set_query(query);
    c->set_detail_query(detail_query);
  }
  return p;
}

v1::PolicyBundle MakeBundle(const v1::Policy& policy) {
  v1::PolicyBundle b;
  b.set_version(1);
  *b.add_policies() = policy;
  return b;
}

v1::PostureReport Report(absl::Time collected_at) {
  v1::PostureReport r;
  r.set_platform(v1::PLATFORM_LINUX);
  *r.mutable_collected_at() = ToProtoTime(collected_at);
  *r.add_tables() = facts::TableBuilder("firewall")
                        .Row()
                        .Text("backend", "nftables")
                        .Bool("enabled", true)
                        .Build();
  return r;
}

// Only the evaluation budget of 2 s counts: no single check times out.
SandboxLimits BudgetOnly(const Clock* clock) {
  SandboxLimits limits;
  limits.clock = clock;
  limits.statement_time = absl::Hours(1);
  limits.evaluation_time = absl::Seconds(2);
  return limits;
}

const absl::Time kCollected = absl::FromUnixSeconds(1767225600);  // 2026-01-01

TEST(EvaluationBudgetTest, ChecksPastTheBudgetAreErrorsThatSaySo) {
  SteppingClock clock(absl::Milliseconds(300));
  const SandboxLimits limits = BudgetOnly(&clock);
  for (auto enforcement : {v1::ENFORCEMENT_RESTRICT, v1::ENFORCEMENT_REPORT}) {
    auto e = Evaluator::Compile(
        MakeBundle(MakePolicy("p", 20, "SELECT 1 FROM firewall WHERE enabled",
                              "", enforcement)),
        limits);
    ASSERT_TRUE(e.ok()) << e.status();
    EvaluationCost cost;
    v1::Verdict v = (*e)->Evaluate(kDevice, Report(kCollected), &cost);
    ASSERT_EQ(v.results_size(), 20);
    EXPECT_EQ(v.results(0).state(), v1::CHECK_STATE_PASS);
    int first_error = -1;
    for (int i = 0; i < v.results_size(); ++i) {
      if (v.results(i).state() == v1::CHECK_STATE_ERROR && first_error < 0) {
        first_error = i;
      }
      if (first_error >= 0) {
        EXPECT_EQ(v.results(i).state(), v1::CHECK_STATE_ERROR) << i;
        EXPECT_THAT(v.results(i).error(),
                    HasSubstr("the evaluation budget for this device was "
                              "used up (2s for all checks of one device)"));
      }
    }
    EXPECT_GT(first_error, 0);
    EXPECT_LT(first_error, 10);
    EXPECT_TRUE(cost.budget_used_up);
    // Not judged is not compliant, unless the policy only reports.
    EXPECT_EQ(v.compliant(), enforcement == v1::ENFORCEMENT_REPORT);
  }
}

TEST(EvaluationBudgetTest, ARunningCheckIsStoppedAtTheBudget) {
  SteppingClock clock(absl::Milliseconds(1));
  const SandboxLimits limits = BudgetOnly(&clock);
  auto e = Evaluator::Compile(
      MakeBundle(MakePolicy("spin", 2,
                            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                            "SELECT i+1 FROM n) SELECT 1 FROM n WHERE i < 0")),
      limits);
  ASSERT_TRUE(e.ok()) << e.status();
  v1::Verdict v = (*e)->Evaluate(kDevice, Report(kCollected));
  ASSERT_EQ(v.results_size(), 2);
  EXPECT_EQ(v.results(0).state(), v1::CHECK_STATE_ERROR);
  EXPECT_THAT(v.results(0).error(),
              HasSubstr("used up (2s for all checks of one device) and the "
                        "query was stopped"));
  EXPECT_THAT(v.results(1).error(),
              HasSubstr("not run: the evaluation budget"));
  EXPECT_FALSE(v.compliant());
}

TEST(EvaluationBudgetTest, DetailIsCappedPerCheckAndPerVerdict) {
  // The shape: a short detail_query whose rows come to ~40 MB per
  // check; 50 such checks made a verdict far over the 16 MB message limit.
  FakeClock clock;
  SandboxLimits limits;
  limits.clock = &clock;
  auto e = Evaluator::Compile(
      MakeBundle(MakePolicy(
          "big", 50, "SELECT 1 WHERE 0",
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
          "LIMIT 1000) SELECT i, hex(zeroblob(20000)) AS pad FROM n")),
      limits);
  ASSERT_TRUE(e.ok()) << e.status();
  v1::Verdict v = (*e)->Evaluate(kDevice, Report(kCollected));
  ASSERT_EQ(v.results_size(), 50);
  size_t detail_bytes = 0;
  for (const v1::CheckResult& r : v.results()) {
    EXPECT_EQ(r.state(), v1::CHECK_STATE_FAIL);
    EXPECT_LE(r.detail().size(), 4096u);
    EXPECT_THAT(r.detail(), HasSubstr("(cut"));
    detail_bytes += r.detail().size();
  }
  EXPECT_THAT(v.results(0).detail(), HasSubstr("i=1, pad=0000"));
  EXPECT_THAT(v.results(0).detail(), HasSubstr("(cut at 4096 bytes)"));
  EXPECT_THAT(v.results(49).detail(),
              HasSubstr("the verdict's 65536 bytes of detail are used up"));
  EXPECT_LE(detail_bytes, 65536u + 50 * 100);
  EXPECT_LT(v.ByteSizeLong(), 80u << 10);
}

TEST(EvaluationBudgetTest, NowIsTheReportsCollectionTime) {
  // Agent and server evaluate the same report at different times, with
  // different clocks: the verdict depends on the facts alone.
  const std::string query =
      "SELECT 1 WHERE date('now') = '2026-01-01' AND "
      "CURRENT_DATE = '2026-01-01' AND unixepoch() = 1767225600 AND "
      "julianday('now') - julianday('2025-12-01') = 31 AND "
      "strftime('%Y') = '2026' AND datetime() = '2026-01-01 00:00:00'";
  v1::Policy policy = MakePolicy("dates", 1, query);
  v1::Check* fails = policy.add_checks();
  fails->set_id("shows-now");
  fails->set_query("SELECT 1 WHERE 0");
  fails->set_detail_query("SELECT datetime('now') AS now");
  v1::PolicyBundle bundle = MakeBundle(policy);
  FakeClock agent_clock(kCollected + absl::Minutes(3));
  FakeClock server_clock(kCollected + absl::Hours(30));
  SandboxLimits agent_limits;
  agent_limits.clock = &agent_clock;
  SandboxLimits server_limits;
  server_limits.clock = &server_clock;
  auto agent = Evaluator::Compile(bundle, agent_limits);
  auto server = Evaluator::Compile(bundle, server_limits);
  ASSERT_TRUE(agent.ok() && server.ok());
  // The server has judged other devices first.
  (*server)->Evaluate(kDevice, Report(kCollected - absl::Hours(48)));
  v1::Verdict a = (*agent)->Evaluate(kDevice, Report(kCollected));
  v1::Verdict s = (*server)->Evaluate(kDevice, Report(kCollected));
  EXPECT_EQ(a.results(0).state(), v1::CHECK_STATE_PASS) << a.results(0).error();
  EXPECT_EQ(a.results(1).detail(), "now=2026-01-01 00:00:00");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(a, s))
      << a.DebugString() << "\n"
      << s.DebugString();
}

TEST(BundleCostTest, EstimateNamesTheWorstDeviceAndSlowestChecks) {
  SteppingClock clock(absl::Milliseconds(300));
  SandboxLimits limits = BudgetOnly(&clock);
  v1::PolicyBundle bundle =
      MakeBundle(MakePolicy("slow", 10, "SELECT 1 FROM firewall"));
  auto e = Evaluator::Compile(bundle, limits);
  ASSERT_TRUE(e.ok());
  std::vector<RecordedDevice> devices = {
      {"desk-1", kDevice, Report(kCollected)},
      {"desk-2", kDevice, Report(kCollected)}};
  BundleCost cost = EstimateBundleCost(**e, devices);
  EXPECT_EQ(cost.devices, 1);  // one device over the budget is enough
  EXPECT_TRUE(cost.over_budget);
  EXPECT_GE(cost.worst_device_time, absl::Seconds(2));
  ASSERT_FALSE(cost.slowest_checks.empty());
  absl::Status s = CheckBundleCost(cost, limits.evaluation_time);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("evaluation budget of 2s per device"));
  EXPECT_THAT(s.message(), HasSubstr("slowest checks: slow/c"));
  EXPECT_THAT(s.message(), HasSubstr("desk-1 took "));

  // The same bundle on a fast clock fits.
  FakeClock still;
  limits.clock = &still;
  auto fast = Evaluator::Compile(bundle, limits);
  ASSERT_TRUE(fast.ok());
  BundleCost fits = EstimateBundleCost(**fast, devices);
  EXPECT_FALSE(fits.over_budget);
  EXPECT_TRUE(CheckBundleCost(fits, limits.evaluation_time).ok());
  EXPECT_THAT(DescribeBundleCost(fits), HasSubstr("worst of 2 device(s)"));
}

}  // namespace
}  // namespace trellis::policy
