#include "server/vpn/peer_sync.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/vpn/vpn_test_env.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

TEST(PeerSyncTest, CompliantDeviceGetsAnAddressAndAFullPeer) {
  VpnTestEnv env;
  DeviceRecord d = env.AddDevice("dev-a");
  auto a = env.Save(d);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->access(), v1::VPN_ACCESS_FULL);
  EXPECT_EQ(a->tunnel_address(), "10.200.0.2/32");
  EXPECT_EQ(a->profile().id(), "remote");
  auto changes = env.Changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].serial, 1u);
  EXPECT_EQ(changes[0].public_key, d.wireguard_public_key);
  EXPECT_EQ(changes[0].access, v1::VPN_ACCESS_FULL);
  EXPECT_EQ(changes[0].allowed_ips, "10.200.0.2/32");
  EXPECT_EQ(env.Peers().size(), 1u);
}

TEST(PeerSyncTest, UnchangedStateAppendsNothing) {
  VpnTestEnv env;
  DeviceRecord d = env.AddDevice("dev-a");
  ASSERT_TRUE(env.Save(d).ok());
  ASSERT_TRUE(env.Save(d).ok());
  ASSERT_TRUE(env.Save(d).ok());
  EXPECT_EQ(env.Changes().size(), 1u);
}

TEST(PeerSyncTest, NoncompliantUnderRestrictRemovesThePeerAndKeepsTheAddress) {
  VpnTestEnv env;
  DeviceRecord d = env.AddDevice("dev-a");
  ASSERT_TRUE(env.Save(d).ok());
  d.compliance_state = v1::COMPLIANCE_STATE_NONCOMPLIANT;
  d.vpn_enforcement = v1::ENFORCEMENT_RESTRICT;
  auto a = env.Save(d);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->access(), v1::VPN_ACCESS_NONE);
  EXPECT_THAT(a->reason(), HasSubstr("noncompliant"));
  EXPECT_EQ(a->tunnel_address(), "10.200.0.2/32");
  auto changes = env.Changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].access, v1::VPN_ACCESS_NONE);
  EXPECT_EQ(changes[1].public_key, d.wireguard_public_key);
  EXPECT_TRUE(env.Peers().empty());
  // Fixed: the same address comes back.
  d.compliance_state = v1::COMPLIANCE_STATE_COMPLIANT;
  a = env.Save(d);
  EXPECT_EQ(a->access(), v1::VPN_ACCESS_FULL);
  EXPECT_EQ(a->tunnel_address(), "10.200.0.2/32");
  EXPECT_EQ(env.Changes().size(), 3u);
}

TEST(PeerSyncTest, GraceKeepsAccess) {
  VpnTestEnv env;
  DeviceRecord d = env.AddDevice("dev-a");
  d.compliance_state = v1::COMPLIANCE_STATE_GRACE;
  d.grace_deadline = kVpnT0 + absl::Hours(72);
  auto a = env.Save(d);
  EXPECT_EQ(a->access(), v1::VPN_ACCESS_FULL);
  EXPECT_THAT(a->reason(), HasSubstr("2026-01-04"));
}

TEST(PeerSyncTest, QuarantineLimitsThePeerToRemediationDestinations) {
  VpnTestEnv env;
  DeviceRecord d = env.AddDevice("dev-a");
  ASSERT_TRUE(env.Save(d).ok());
  d.compliance_state = v1::COMPLIANCE_STATE_NONCOMPLIANT;
  d.vpn_enforcement = v1::ENFORCEMENT_QUARANTINE;
  auto a = env.Save(d);
  EXPECT_EQ(a->access(), v1::VPN_ACCESS_QUARANTINE);
  auto peers = env.Peers();
  ASSERT_EQ(peers.size(), 1u);
  EXPECT_EQ(peers[0].access, v1::VPN_ACCESS_QUARANTINE);
  EXPECT_EQ(peers[0].permitted, "10.10.5.0/24");
  EXPECT_EQ(env.Changes().size(), 2u);
}

TEST(PeerSyncTest, QuarantineWithoutRemediationDestinationsCutsAccess) {
  VpnTestEnv env;
  auto bundle = std::make_shared<v1::PolicyBundle>();
  v1::VpnProfile p = TestProfile();
  p.clear_remediation_destinations();
  *bundle->add_vpn_profiles() = p;
  env.SetBundle(bundle);
  DeviceRecord d = env.AddDevice("dev-a");
  d.compliance_state = v1::COMPLIANCE_STATE_NONCOMPLIANT;
  d.vpn_enforcement = v1::ENFORCEMENT_QUARANTINE;
  EXPECT_EQ(env.Save(d)->access(), v1::VPN_ACCESS_NONE);
  EXPECT_TRUE(env.Peers().empty());
}

TEST(PeerSyncTest, NewKeyRemovesTheOldPeerFirst) {
  VpnTestEnv env;
  DeviceRecord d = env.AddDevice("dev-a");
  ASSERT_TRUE(env.Save(d).ok());
  std::string old_key = d.wireguard_public_key;
  d.wireguard_public_key = crypto::GenerateWireGuardKeyPair()->public_key;
  ASSERT_TRUE(env.Save(d).ok());
  auto changes = env.Changes();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[1].public_key, old_key);
  EXPECT_EQ(changes[1].access, v1::VPN_ACCESS_NONE);
  EXPECT_EQ(changes[2].public_key, d.wireguard_public_key);
  EXPECT_EQ(changes[2].access, v1::VPN_ACCESS_FULL);
  EXPECT_EQ(changes[2].allowed_ips, "10.200.0.2/32");
  ASSERT_EQ(env.Peers().size(), 1u);
  EXPECT_EQ(env.Peers()[0].public_key, d.wireguard_public_key);
}

TEST(PeerSyncTest, RetireReleasesTheAddressForReuse) {
  VpnTestEnv env;
  DeviceRecord a = env.AddDevice("dev-a");
  DeviceRecord b = env.AddDevice("dev-b");
  EXPECT_EQ(env.Save(a)->tunnel_address(), "10.200.0.2/32");
  EXPECT_EQ(env.Save(b)->tunnel_address(), "10.200.0.3/32");
  a.state = v1::DEVICE_STATE_RETIRED;
  a.compliance_state = v1::COMPLIANCE_STATE_RETIRED;
  auto retired = env.Save(a);
  EXPECT_EQ(retired->access(), v1::VPN_ACCESS_NONE);
  EXPECT_EQ(retired->tunnel_address(), "");
  DeviceRecord c = env.AddDevice("dev-c");
  EXPECT_EQ(env.Save(c)->tunnel_address(), "10.200.0.2/32");
}

TEST(PeerSyncTest, RevokedDeviceKeepsItsAddressButLosesThePeer) {
  VpnTestEnv env;
  DeviceRecord a = env.AddDevice("dev-a");
  ASSERT_TRUE(env.Save(a).ok());
  a.state = v1::DEVICE_STATE_REVOKED;
  a.revocation_reason = "stolen";
  auto r = env.Save(a);
  EXPECT_EQ(r->access(), v1::VPN_ACCESS_NONE);
  EXPECT_THAT(r->reason(), HasSubstr("stolen"));
  EXPECT_EQ(r->tunnel_address(), "10.200.0.2/32");
  EXPECT_TRUE(env.Peers().empty());
}

TEST(PeerSyncTest, FullPoolIsResourceExhaustedAndAddressesAreUnique) {
  VpnTestEnv env;  // /29: .2 to .6
  std::set<std::string> seen;
  for (int i = 0; i < 5; ++i) {
    auto a = env.Save(env.AddDevice(absl::StrCat("dev-", i)));
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_TRUE(seen.insert(a->tunnel_address()).second) << a->tunnel_address();
  }
  EXPECT_EQ(seen.count("10.200.0.1/32"), 0u);  // the gateway's
  EXPECT_EQ(seen.count("10.200.0.7/32"), 0u);  // broadcast
  auto full = env.Save(env.AddDevice("dev-6"));
  ASSERT_FALSE(full.ok());
  EXPECT_TRUE(absl::IsResourceExhausted(full.status()));
  EXPECT_THAT(full.status().message(), HasSubstr("--vpn-pool"));
}

TEST(PeerSyncTest, NoProfileMeansNoPeer) {
  VpnTestEnv env;
  env.SetBundle(nullptr);
  DeviceRecord d = env.AddDevice("dev-a");
  auto a = env.Save(d);
  EXPECT_EQ(a->access(), v1::VPN_ACCESS_NONE);
  EXPECT_THAT(a->reason(), HasSubstr("no VPN profile"));
  EXPECT_FALSE(a->has_profile());
  EXPECT_TRUE(env.Changes().empty());
}

TEST(PeerSyncTest, SyncAllFollowsAProfileRemoval) {
  VpnTestEnv env;
  ASSERT_TRUE(env.Save(env.AddDevice("dev-a")).ok());
  ASSERT_TRUE(env.Save(env.AddDevice("dev-b")).ok());
  env.SetBundle(std::make_shared<v1::PolicyBundle>());
  int changed = -1;
  ASSERT_TRUE(env.store()
                  .WriteSync([&](StoreWriter& w) -> absl::Status {
                    auto n = env.sync().SyncAll(w, kVpnT0);
                    if (!n.ok()) return n.status();
                    changed = *n;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(changed, 2);
  EXPECT_TRUE(env.Peers().empty());
}

}  // namespace
}  // namespace trellis::server
