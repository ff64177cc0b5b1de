#include "server/compliance/compliance_decision.h"

#include "common/util/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

v1::CheckResult* Add(v1::Verdict& v, v1::Enforcement enforcement,
                     v1::CheckState state, absl::Duration ago,
                     absl::Duration grace, const std::string& id) {
  v1::CheckResult* r = v.add_results();
  r->set_policy_id("p");
  r->set_check_id(id);
  r->set_enforcement(enforcement);
  r->set_state(state);
  *r->mutable_since() = ToProtoTime(kNow - ago);
  r->set_grace_period_seconds(absl::ToInt64Seconds(grace));
  return r;
}

TEST(ComplianceDecisionTest, AllPassingIsCompliant) {
  v1::Verdict v;
  Add(v, v1::ENFORCEMENT_RESTRICT, v1::CHECK_STATE_PASS, absl::Hours(1),
      absl::ZeroDuration(), "a");
  Add(v, v1::ENFORCEMENT_WARN, v1::CHECK_STATE_FAIL, absl::Hours(100),
      absl::ZeroDuration(), "warn-only");
  Add(v, v1::ENFORCEMENT_REPORT, v1::CHECK_STATE_ERROR, absl::Hours(100),
      absl::ZeroDuration(), "report-only");
  ComplianceDecision d = DecideCompliance(v, kNow);
  EXPECT_EQ(d.state, v1::COMPLIANCE_STATE_COMPLIANT);
  EXPECT_FALSE(d.grace_deadline.has_value());
}

TEST(ComplianceDecisionTest, FailingInsideGraceKeepsAccessUntilEarliestDeadline) {
  v1::Verdict v;
  Add(v, v1::ENFORCEMENT_RESTRICT, v1::CHECK_STATE_FAIL, absl::Hours(1),
      absl::Hours(48), "slow");
  Add(v, v1::ENFORCEMENT_QUARANTINE, v1::CHECK_STATE_ERROR, absl::Hours(1),
      absl::Hours(3), "soon");
  ComplianceDecision d = DecideCompliance(v, kNow);
  EXPECT_EQ(d.state, v1::COMPLIANCE_STATE_GRACE);
  ASSERT_TRUE(d.grace_deadline.has_value());
  EXPECT_EQ(*d.grace_deadline, kNow + absl::Hours(2));
  EXPECT_THAT(d.cause, HasSubstr("p/soon cannot be checked"));
}

TEST(ComplianceDecisionTest, GraceEndedIsNoncompliant) {
  v1::Verdict v;
  Add(v, v1::ENFORCEMENT_RESTRICT, v1::CHECK_STATE_FAIL, absl::Hours(1),
      absl::Hours(48), "slow");
  Add(v, v1::ENFORCEMENT_RESTRICT, v1::CHECK_STATE_FAIL, absl::Hours(5),
      absl::Hours(5), "over");
  ComplianceDecision d = DecideCompliance(v, kNow);
  EXPECT_EQ(d.state, v1::COMPLIANCE_STATE_NONCOMPLIANT);
  EXPECT_THAT(d.cause, HasSubstr("p/over fails and its grace period has ended"));
  // No grace at all: noncompliant at once.
  v1::Verdict strict;
  Add(strict, v1::ENFORCEMENT_RESTRICT, v1::CHECK_STATE_FAIL,
      absl::ZeroDuration(), absl::ZeroDuration(), "now");
  EXPECT_EQ(DecideCompliance(strict, kNow).state,
            v1::COMPLIANCE_STATE_NONCOMPLIANT);
}

}  // namespace
}  // namespace trellis::server
