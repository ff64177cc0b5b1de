#include "agent/feedback/employee_notifier.h"

#include "common/util/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;

v1::CheckInResponse Grace() {
  v1::CheckInResponse r;
  r.set_compliance_state(v1::COMPLIANCE_STATE_GRACE);
  *r.mutable_grace_deadline() = ToProtoTime(absl::FromUnixSeconds(1800000000));
  v1::CheckResult* c = r.mutable_verdict()->add_results();
  c->set_title("Disk is encrypted");
  c->set_state(v1::CHECK_STATE_FAIL);
  c->set_enforcement(v1::ENFORCEMENT_RESTRICT);
  c->set_remediation("Turn on FileVault");
  return r;
}

TEST(EmployeeNotifierTest, MessageNamesProblemFixAndDeadline) {
  std::string m = ComplianceMessage(Grace());
  EXPECT_THAT(m, HasSubstr("Disk is encrypted. To fix: Turn on FileVault"));
  EXPECT_THAT(m, HasSubstr("Access is kept until 2027-01-15T08:00:00+00:00"));
}

TEST(EmployeeNotifierTest, DesktopFirstThenSyslog) {
  FakeCommandRunner runner;
  runner.Set("logger -t trellis-agent hello", CommandResult{0, "", ""});
  EXPECT_EQ(*Notify(runner, "hello"), "syslog");
  runner.Set("notify-send --app-name=Trellis Trellis device check hello",
             CommandResult{0, "", ""});
  EXPECT_EQ(*Notify(runner, "hello"), "desktop");
}

TEST(EmployeeNotifierTest, OncePerStateChange) {
  FakeCommandRunner runner;
  EXPECT_TRUE(NotifyOnChange(runner, v1::COMPLIANCE_STATE_COMPLIANT, Grace()));
  size_t calls = runner.calls().size();
  EXPECT_GT(calls, 0u);
  EXPECT_FALSE(NotifyOnChange(runner, v1::COMPLIANCE_STATE_GRACE, Grace()));
  EXPECT_EQ(runner.calls().size(), calls);
}

}  // namespace
}  // namespace trellis::agent
