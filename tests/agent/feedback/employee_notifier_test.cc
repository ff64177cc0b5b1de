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

v1::CheckInResponse WithVpn(v1::VpnAccess access, const std::string& reason) {
  v1::CheckInResponse r;
  r.mutable_vpn()->set_access(access);
  r.mutable_vpn()->set_reason(reason);
  return r;
}

TEST(EmployeeNotifierTest, VpnLossAndRestoreAreToldWithReason) {
  EXPECT_EQ(
      VpnAccessMessage(v1::VPN_ACCESS_FULL,
                       WithVpn(v1::VPN_ACCESS_NONE, "firewall-on fails").vpn()),
      "This device has lost VPN access: firewall-on fails.");
  EXPECT_EQ(
      VpnAccessMessage(v1::VPN_ACCESS_NONE,
                       WithVpn(v1::VPN_ACCESS_FULL, "meets policy").vpn()),
      "VPN access is restored: meets policy.");
  EXPECT_THAT(VpnAccessMessage(v1::VPN_ACCESS_FULL,
                               WithVpn(v1::VPN_ACCESS_QUARANTINE, "").vpn()),
              HasSubstr("limited to the services that help fix"));
  // No change, or the first assignment heard of: nothing to tell.
  EXPECT_EQ(VpnAccessMessage(v1::VPN_ACCESS_FULL,
                             WithVpn(v1::VPN_ACCESS_FULL, "").vpn()),
            "");
  EXPECT_EQ(VpnAccessMessage(v1::VPN_ACCESS_UNSPECIFIED,
                             WithVpn(v1::VPN_ACCESS_NONE, "").vpn()),
            "");
}

TEST(EmployeeNotifierTest, OneNoticePerCheckInForAllChanges) {
  FakeCommandRunner runner;
  v1::CheckInResponse r = Grace();
  r.mutable_vpn()->set_access(v1::VPN_ACCESS_NONE);
  r.mutable_vpn()->set_reason("no VPN profile applies");
  EXPECT_TRUE(NotifyCheckInChanges(runner, v1::COMPLIANCE_STATE_COMPLIANT,
                                   v1::VPN_ACCESS_FULL, r));
  ASSERT_EQ(runner.calls().size(), 2u);  // notify-send, then logger
  EXPECT_THAT(runner.calls()[0], HasSubstr("Access is kept until"));
  EXPECT_THAT(runner.calls()[0],
              HasSubstr("lost VPN access: no VPN profile applies."));
  EXPECT_FALSE(NotifyCheckInChanges(runner, v1::COMPLIANCE_STATE_GRACE,
                                    v1::VPN_ACCESS_NONE, r));
  EXPECT_EQ(runner.calls().size(), 2u);
  // A VPN change alone is told too.
  EXPECT_TRUE(NotifyCheckInChanges(
      runner, v1::COMPLIANCE_STATE_GRACE, v1::VPN_ACCESS_NONE, [&] {
        v1::CheckInResponse restored = r;
        restored.mutable_vpn()->set_access(v1::VPN_ACCESS_FULL);
        restored.mutable_vpn()->set_reason("exception granted");
        return restored;
      }()));
  EXPECT_THAT(runner.calls().back(),
              HasSubstr("VPN access is restored: exception granted."));
}

}  // namespace
}  // namespace trellis::agent
