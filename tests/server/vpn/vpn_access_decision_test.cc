#include "server/vpn/vpn_access_decision.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/vpn/vpn_test_env.h"

namespace trellis::server {
namespace {

DeviceRecord Device(v1::ComplianceState state) {
  DeviceRecord d;
  d.device_id = "d";
  d.state = v1::DEVICE_STATE_ACTIVE;
  d.compliance_state = state;
  d.wireguard_public_key = "k";
  return d;
}

TEST(VpnAccessDecisionTest, AccessFollowsComplianceState) {
  v1::VpnProfile p = TestProfile();
  EXPECT_EQ(DecideVpnAccess(Device(v1::COMPLIANCE_STATE_COMPLIANT), &p).access,
            v1::VPN_ACCESS_FULL);
  EXPECT_EQ(DecideVpnAccess(Device(v1::COMPLIANCE_STATE_GRACE), &p).access,
            v1::VPN_ACCESS_FULL);
  for (auto s : {v1::COMPLIANCE_STATE_NONCOMPLIANT, v1::COMPLIANCE_STATE_STALE,
                 v1::COMPLIANCE_STATE_UNSPECIFIED, v1::COMPLIANCE_STATE_REVOKED,
                 v1::COMPLIANCE_STATE_RETIRED}) {
    EXPECT_EQ(DecideVpnAccess(Device(s), &p).access, v1::VPN_ACCESS_NONE) << s;
  }
}

TEST(VpnAccessDecisionTest, QuarantineOnlyWhenEnforcedSoAndPossible) {
  v1::VpnProfile p = TestProfile();
  DeviceRecord d = Device(v1::COMPLIANCE_STATE_NONCOMPLIANT);
  d.vpn_enforcement = v1::ENFORCEMENT_QUARANTINE;
  EXPECT_EQ(DecideVpnAccess(d, &p).access, v1::VPN_ACCESS_QUARANTINE);
  d.vpn_enforcement = v1::ENFORCEMENT_RESTRICT;
  EXPECT_EQ(DecideVpnAccess(d, &p).access, v1::VPN_ACCESS_NONE);
}

TEST(VpnAccessDecisionTest, LifecycleKeyAndProfileComeFirst) {
  v1::VpnProfile p = TestProfile();
  DeviceRecord d = Device(v1::COMPLIANCE_STATE_COMPLIANT);
  EXPECT_THAT(DecideVpnAccess(d, nullptr).reason,
              ::testing::HasSubstr("no VPN profile"));
  d.wireguard_public_key.clear();
  EXPECT_EQ(DecideVpnAccess(d, &p).access, v1::VPN_ACCESS_NONE);
  d = Device(v1::COMPLIANCE_STATE_COMPLIANT);
  d.state = v1::DEVICE_STATE_RETIRED;
  EXPECT_EQ(DecideVpnAccess(d, &p).access, v1::VPN_ACCESS_NONE);
}

}  // namespace
}  // namespace trellis::server
