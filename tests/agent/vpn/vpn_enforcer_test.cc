#include "agent/vpn/vpn_enforcer.h"

#include "agent/vpn/vpn_status_file.h"
#include "common/util/encoding.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using vpn_testing::FullAssignment;

v1::VpnAssignment UntrustedOnly() {
  v1::VpnAssignment a = FullAssignment();
  a.mutable_profile()->set_mode(v1::VPN_MODE_UNTRUSTED_ONLY);
  v1::TrustedNetworks* t = a.mutable_profile()->mutable_trusted_networks();
  t->add_dns_search_domains("office.corp.example");
  v1::TlsBeacon* b = t->add_beacons();
  b->set_address("beacon.corp.example:443");
  b->set_sha256_fingerprint(HexEncode(std::string(32, '\x11')));
  return a;
}

class VpnEnforcerTest : public ::testing::Test {
 protected:
  VpnEnforcerTest()
      : state_(dir_.path()),
        enforcer_(state_, &system_, &prober_, &controller_, &reference_,
                  &clock_) {}

  testing::TempDir dir_;
  AgentState state_;
  vpn_testing::FakeSystem system_;
  vpn_testing::FakeProber prober_;
  vpn_testing::RecordingController controller_;
  vpn_testing::RecordingController reference_;
  FakeClock clock_;
  VpnEnforcer enforcer_;
};

TEST_F(VpnEnforcerTest, AppliesAssignmentAndRecordsStatus) {
  enforcer_.OnAssignment(FullAssignment());
  ASSERT_THAT(controller_.applied, SizeIs(1));
  EXPECT_TRUE(controller_.applied[0].up);
  EXPECT_THAT(reference_.applied, SizeIs(1));
  EXPECT_TRUE(enforcer_.WantsWatchdog());
  auto status = LoadVpnStatus(state_);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->tunnel, "up");
  EXPECT_EQ(status->reason, "full access through Council VPN (always on)");
  EXPECT_EQ(status->controller, "interface test0");
  EXPECT_EQ(status->trusted_network, "not configured");
  EXPECT_EQ(status->updated_at, clock_.Now());
}

TEST_F(VpnEnforcerTest, WatchdogReappliesSoADeletedInterfaceComesBack) {
  enforcer_.OnAssignment(FullAssignment());
  clock_.Advance(absl::Seconds(5));
  enforcer_.Watchdog();
  enforcer_.Watchdog();
  ASSERT_THAT(controller_.applied, SizeIs(3));
  EXPECT_TRUE(controller_.applied[2].up);
  // Nothing changed: the status file is not rewritten.
  EXPECT_EQ(LoadVpnStatus(state_)->updated_at, clock_.Now() - absl::Seconds(5));
}

TEST_F(VpnEnforcerTest, WatchdogOnlyLooksWhenTheTunnelIsInPlace) {
  enforcer_.OnAssignment(FullAssignment());
  controller_.observation.present = true;
  controller_.observation.up = true;
  clock_.Advance(absl::Seconds(5));
  enforcer_.Watchdog();
  enforcer_.Watchdog();
  EXPECT_THAT(controller_.applied, SizeIs(1));
  // The link went down behind the agent's back: re-applied.
  controller_.observation.up = false;
  enforcer_.Watchdog();
  EXPECT_THAT(controller_.applied, SizeIs(2));
}

TEST_F(VpnEnforcerTest, UntrustedOnlyFollowsTheNetwork) {
  system_.files["/etc/resolv.conf"] = "search office.corp.example\n";
  enforcer_.OnAssignment(UntrustedOnly());
  EXPECT_FALSE(controller_.applied.back().up);
  EXPECT_EQ(controller_.applied.back().reason,
            "on trusted network office.corp.example (DNS search domain)");
  EXPECT_EQ(LoadVpnStatus(state_)->trusted_network, "yes");
  EXPECT_TRUE(enforcer_.WantsWatchdog());

  // The employee goes home; the next re-evaluation is due after 30 s.
  system_.files["/etc/resolv.conf"] = "search home.lan\n";
  clock_.Advance(absl::Seconds(5));
  enforcer_.Watchdog();
  EXPECT_FALSE(controller_.applied.back().up);
  clock_.Advance(absl::Seconds(30));
  enforcer_.Watchdog();
  EXPECT_TRUE(controller_.applied.back().up);
  EXPECT_THAT(prober_.probed, SizeIs(1));  // the beacon was tried once

  // With our tunnel up, neither beacons nor the tunnel's own domains count.
  system_.files["/etc/resolv.conf"] = "search home.lan corp.example\n";
  clock_.Advance(absl::Seconds(30));
  enforcer_.Watchdog();
  EXPECT_TRUE(controller_.applied.back().up);
  EXPECT_THAT(prober_.probed, SizeIs(1));
}

TEST_F(VpnEnforcerTest, MalformedProfileKeepsTunnelDown) {
  v1::VpnAssignment a = FullAssignment();
  a.mutable_profile()->add_routes("10.0.0.0/99");
  enforcer_.OnAssignment(a);
  ASSERT_THAT(controller_.applied, SizeIs(1));
  EXPECT_FALSE(controller_.applied[0].up);
  EXPECT_TRUE(controller_.applied[0].refused);
  EXPECT_THAT(LoadVpnStatus(state_)->reason,
              HasSubstr("vpn profile 'corp': routes[2]"));
  EXPECT_FALSE(enforcer_.WantsWatchdog());
}

TEST_F(VpnEnforcerTest, AccessRemovedTakesTunnelDown) {
  enforcer_.OnAssignment(FullAssignment());
  v1::VpnAssignment none = FullAssignment();
  none.set_access(v1::VPN_ACCESS_NONE);
  none.set_reason("firewall-on fails");
  enforcer_.OnAssignment(none);
  EXPECT_FALSE(controller_.applied.back().up);
  EXPECT_EQ(controller_.applied.back().reason,
            "access removed: firewall-on fails");
  EXPECT_FALSE(enforcer_.WantsWatchdog());
}

TEST_F(VpnEnforcerTest, ApplyErrorsAreRecordedAndRetried) {
  controller_.next_error = absl::NotFoundError("wireguard-go is not installed");
  enforcer_.OnAssignment(FullAssignment());
  EXPECT_EQ(enforcer_.error(), "wireguard-go is not installed");
  EXPECT_EQ(LoadVpnStatus(state_)->error, "wireguard-go is not installed");
  controller_.next_error = absl::OkStatus();
  enforcer_.Watchdog();
  EXPECT_EQ(enforcer_.error(), "");
  EXPECT_EQ(LoadVpnStatus(state_)->error, "");
}

TEST_F(VpnEnforcerTest, StopLeavesAlwaysOnUp) {
  enforcer_.OnAssignment(FullAssignment());
  enforcer_.OnStop(/*lost_identity=*/false);
  EXPECT_THAT(controller_.applied, SizeIs(1));
}

TEST_F(VpnEnforcerTest, StopTakesUntrustedOnlyDown) {
  enforcer_.OnAssignment(UntrustedOnly());
  ASSERT_TRUE(controller_.applied.back().up);
  enforcer_.OnStop(/*lost_identity=*/false);
  ASSERT_THAT(controller_.applied, SizeIs(2));
  EXPECT_FALSE(controller_.applied[1].up);
  EXPECT_THAT(controller_.applied[1].reason, HasSubstr("agent stopped"));
}

TEST_F(VpnEnforcerTest, LostIdentityTakesEverythingDown) {
  enforcer_.OnAssignment(FullAssignment());
  enforcer_.OnStop(/*lost_identity=*/true);
  EXPECT_FALSE(controller_.applied.back().up);
  EXPECT_FALSE(reference_.applied.back().HasPeer());
}

TEST_F(VpnEnforcerTest, UnreachableServerRestoresLastAssignment) {
  enforcer_.OnCheckInFailed();
  EXPECT_THAT(controller_.applied, IsEmpty());
  v1::CheckInResponse last;
  *last.mutable_vpn() = FullAssignment();
  ASSERT_TRUE(
      WriteFileAtomic(state_.LastCheckInPath(), last.SerializeAsString(), 0600)
          .ok());
  enforcer_.OnCheckInFailed();
  ASSERT_THAT(controller_.applied, SizeIs(1));
  EXPECT_TRUE(controller_.applied[0].up);
  enforcer_.OnCheckInFailed();  // already holds one: nothing more
  EXPECT_THAT(controller_.applied, SizeIs(1));
}

}  // namespace
}  // namespace trellis::agent
