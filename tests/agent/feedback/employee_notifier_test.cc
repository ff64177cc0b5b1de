#include "agent/feedback/employee_notifier.h"

#include <sys/stat.h>

#include "common/util/files.h"
#include "common/util/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A /run with no sessions, so nothing depends on the machine running tests.
class NoSessions {
 public:
  NotifyEnv env() const {
    NotifyEnv env;
    env.run_root = run_.path();
    env.agent_uid = 0;
    return env;
  }

 private:
  testing::TempDir run_;
};

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

// A fake /run with alice's Wayland session and bob's text console.
class DesktopSessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(MakeDirs(run_.path() + "/user/1000", 0700).ok());
    ASSERT_TRUE(WriteFileAtomic(run_.path() + "/user/1000/bus", "").ok());
    ASSERT_TRUE(WriteFileAtomic(run_.path() + "/user/1000/wayland-1", "").ok());
    ASSERT_TRUE(
        WriteFileAtomic(run_.path() + "/user/1000/wayland-1.lock", "").ok());
    ASSERT_TRUE(MakeDirs(run_.path() + "/user/1001", 0700).ok());
    ASSERT_TRUE(WriteFileAtomic(run_.path() + "/user/1001/bus", "").ok());
    runner_.Set("loginctl list-sessions --no-legend",
                {0,
                 "     4   1000 alice seat0 tty2\n"
                 "     7   1001 bob   -     pts/0\n",
                 ""});
    runner_.Set("loginctl show-session 4 -p Type -p Display -p State",
                {0, "Type=wayland\nDisplay=\nState=active\n", ""});
    runner_.Set("loginctl show-session 7 -p Type -p Display -p State",
                {0, "Type=tty\nDisplay=\nState=active\n", ""});
    env_.run_root = run_.path();
    env_.agent_uid = 0;
  }
  std::string AliceCommand(const std::string& message) {
    return absl::StrCat("runuser -u alice -- env DBUS_SESSION_BUS_ADDRESS=",
                        "unix:path=", run_.path(), "/user/1000/bus ",
                        "XDG_RUNTIME_DIR=", run_.path(), "/user/1000 ",
                        "WAYLAND_DISPLAY=wayland-1 notify-send ",
                        "--app-name=Trellis Trellis device check ", message);
  }
  testing::TempDir run_;
  FakeCommandRunner runner_;
  NotifyEnv env_;
};

TEST_F(DesktopSessionsTest, RootNotifiesEachGraphicalUserOnTheirOwnBus) {
  std::vector<DesktopSession> found = FindDesktopSessions(runner_, env_);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].user, "alice");
  EXPECT_EQ(found[0].uid, 1000u);
  EXPECT_EQ(found[0].wayland_display, "wayland-1");

  runner_.Set(AliceCommand("hello"), {0, "", ""});
  EXPECT_EQ(*Notify(runner_, "hello", env_), "desktop");
  EXPECT_EQ(runner_.calls().back(), AliceCommand("hello"));
}

TEST_F(DesktopSessionsTest, X11SessionGetsItsDisplay) {
  runner_.Set("loginctl show-session 4 -p Type -p Display -p State",
              {0, "Type=x11\nDisplay=:0\nState=active\n", ""});
  std::vector<DesktopSession> found = FindDesktopSessions(runner_, env_);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(NotifySendCommand(found[0], env_, "m"),
              ElementsAre("runuser", "-u", "alice", "--", "env",
                          "DBUS_SESSION_BUS_ADDRESS=unix:path=" + run_.path() +
                              "/user/1000/bus",
                          "XDG_RUNTIME_DIR=" + run_.path() + "/user/1000",
                          "DISPLAY=:0", "notify-send", "--app-name=Trellis",
                          "Trellis device check", "m"));
}

TEST_F(DesktopSessionsTest, WhenTheDesktopFailsTheSyslogIsUsed) {
  runner_.Set(AliceCommand("hello"), {1, "", "no notification daemon"});
  runner_.Set("logger -t trellis-agent hello", {0, "", ""});
  EXPECT_EQ(*Notify(runner_, "hello", env_), "syslog");
}

TEST_F(DesktopSessionsTest, WithoutLogindTheBusesUnderRunAreUsed) {
  FakeCommandRunner no_loginctl;
  // uid 0 is root everywhere, so its name resolves on any machine.
  ASSERT_TRUE(MakeDirs(run_.path() + "/user/0", 0700).ok());
  ASSERT_TRUE(WriteFileAtomic(run_.path() + "/user/0/bus", "").ok());
  std::vector<DesktopSession> found = FindDesktopSessions(no_loginctl, env_);
  ASSERT_GE(found.size(), 1u);
  EXPECT_EQ(found[0].uid, 0u);
  EXPECT_EQ(found[0].user, "root");
}

TEST_F(DesktopSessionsTest, AnAgentThatIsNotRootNotifiesOnlyItsOwnSession) {
  env_.agent_uid = 1000;
  std::vector<DesktopSession> found = FindDesktopSessions(runner_, env_);
  ASSERT_EQ(found.size(), 1u);
  std::vector<std::string> argv = NotifySendCommand(found[0], env_, "m");
  EXPECT_EQ(argv[0], "env");
  env_.agent_uid = 1001;
  EXPECT_TRUE(FindDesktopSessions(runner_, env_).empty());
}

TEST_F(DesktopSessionsTest, ServerTextInTheMessageIsEscaped) {
  EXPECT_EQ(*Notify(runner_, "Fix: \x1b]0;owned\x07 now", env_), "log");
  EXPECT_EQ(runner_.calls().back(),
            "logger -t trellis-agent Fix: \\e]0;owned\\x07 now");
}

TEST(EmployeeNotifierTest, WithNoSessionItGoesToSyslog) {
  NoSessions none;
  FakeCommandRunner runner;
  runner.Set("logger -t trellis-agent hello", CommandResult{0, "", ""});
  EXPECT_EQ(*Notify(runner, "hello", none.env()), "syslog");
}

TEST(EmployeeNotifierTest, OncePerStateChange) {
  NoSessions none;
  FakeCommandRunner runner;
  EXPECT_TRUE(NotifyOnChange(runner, v1::COMPLIANCE_STATE_COMPLIANT, Grace(),
                             none.env()));
  size_t calls = runner.calls().size();
  EXPECT_GT(calls, 0u);
  EXPECT_FALSE(
      NotifyOnChange(runner, v1::COMPLIANCE_STATE_GRACE, Grace(), none.env()));
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
  NoSessions none;
  FakeCommandRunner runner;
  v1::CheckInResponse r = Grace();
  r.mutable_vpn()->set_access(v1::VPN_ACCESS_NONE);
  r.mutable_vpn()->set_reason("no VPN profile applies");
  EXPECT_TRUE(NotifyCheckInChanges(runner, v1::COMPLIANCE_STATE_COMPLIANT,
                                   v1::VPN_ACCESS_FULL, r, none.env()));
  ASSERT_EQ(runner.calls().size(), 2u);  // loginctl, then logger
  EXPECT_THAT(runner.calls()[1], HasSubstr("Access is kept until"));
  EXPECT_THAT(runner.calls()[1],
              HasSubstr("lost VPN access: no VPN profile applies."));
  EXPECT_FALSE(NotifyCheckInChanges(runner, v1::COMPLIANCE_STATE_GRACE,
                                    v1::VPN_ACCESS_NONE, r, none.env()));
  EXPECT_EQ(runner.calls().size(), 2u);
  // A VPN change alone is told too.
  EXPECT_TRUE(NotifyCheckInChanges(
      runner, v1::COMPLIANCE_STATE_GRACE, v1::VPN_ACCESS_NONE,
      [&] {
        v1::CheckInResponse restored = r;
        restored.mutable_vpn()->set_access(v1::VPN_ACCESS_FULL);
        restored.mutable_vpn()->set_reason("exception granted");
        return restored;
      }(),
      none.env()));
  EXPECT_THAT(runner.calls().back(),
              HasSubstr("VPN access is restored: exception granted."));
}

}  // namespace
}  // namespace trellis::agent
