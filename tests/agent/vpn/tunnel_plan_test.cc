#include "agent/vpn/tunnel_plan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"

namespace trellis::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using vpn_testing::FullAssignment;
using vpn_testing::kGatewayKey;

TrustedNetworkResult Untrusted() {
  TrustedNetworkResult r;
  r.evaluated = true;
  r.detail = "search domains: home.lan";
  return r;
}

TrustedNetworkResult Trusted() {
  TrustedNetworkResult r;
  r.evaluated = true;
  r.trusted = true;
  r.detail = "corp.example (DNS search domain)";
  return r;
}

TEST(TunnelPlanTest, FullAccessUsesRoutes) {
  TunnelPlan plan = PlanTunnel(FullAssignment(), Untrusted());
  EXPECT_TRUE(plan.up);
  EXPECT_EQ(plan.address, "10.200.0.7/32");
  EXPECT_EQ(plan.peer_public_key, kGatewayKey);
  EXPECT_EQ(plan.endpoint, "vpn.council.example:51820");
  EXPECT_THAT(plan.allowed_ips, ElementsAre("10.0.0.0/8", "192.168.50.0/24"));
  EXPECT_THAT(plan.dns_servers, ElementsAre("10.0.0.53"));
  EXPECT_THAT(plan.dns_search_domains, ElementsAre("corp.example"));
  EXPECT_EQ(plan.keepalive_seconds, 25);
  EXPECT_FALSE(plan.FullTunnelIpv4());
  EXPECT_EQ(plan.reason, "full access through Council VPN (always on)");
}

TEST(TunnelPlanTest, QuarantineUsesRemediationDestinationsOnly) {
  v1::VpnAssignment a = FullAssignment();
  a.set_access(v1::VPN_ACCESS_QUARANTINE);
  a.set_reason("disk-encryption fails");
  TunnelPlan plan = PlanTunnel(a, Untrusted());
  EXPECT_TRUE(plan.up);
  EXPECT_THAT(plan.allowed_ips, ElementsAre("10.9.0.0/16"));
  EXPECT_THAT(plan.reason, HasSubstr("quarantined"));
  EXPECT_THAT(plan.reason, HasSubstr("disk-encryption fails"));

  a.mutable_profile()->clear_remediation_destinations();
  plan = PlanTunnel(a, Untrusted());
  EXPECT_FALSE(plan.up);
  EXPECT_THAT(plan.reason, HasSubstr("no remediation destinations"));
}

TEST(TunnelPlanTest, NoAccessMeansDownWithServerReason) {
  v1::VpnAssignment a = FullAssignment();
  a.set_access(v1::VPN_ACCESS_NONE);
  a.set_reason("firewall-on fails and its grace period has ended");
  TunnelPlan plan = PlanTunnel(a, Untrusted());
  EXPECT_FALSE(plan.up);
  EXPECT_FALSE(plan.HasPeer());
  EXPECT_EQ(plan.reason,
            "access removed: firewall-on fails and its grace period has ended");
  EXPECT_FALSE(PlanTunnel(v1::VpnAssignment(), Untrusted()).up);
}

TEST(TunnelPlanTest, NoProfileMeansDown) {
  v1::VpnAssignment a = FullAssignment();
  a.clear_profile();
  TunnelPlan plan = PlanTunnel(a, Untrusted());
  EXPECT_FALSE(plan.up);
  EXPECT_EQ(plan.reason, "no VPN profile applies to this device");
}

TEST(TunnelPlanTest, UntrustedOnlyStaysDownOnTrustedNetwork) {
  v1::VpnAssignment a = FullAssignment();
  a.mutable_profile()->set_mode(v1::VPN_MODE_UNTRUSTED_ONLY);
  a.mutable_profile()->mutable_trusted_networks()->add_dns_search_domains(
      "corp.example");
  TunnelPlan plan = PlanTunnel(a, Trusted());
  EXPECT_FALSE(plan.up);
  EXPECT_TRUE(plan.held_down_on_trusted_network);
  EXPECT_TRUE(plan.HasPeer());
  EXPECT_EQ(plan.reason, "on trusted network corp.example (DNS search domain)");
  plan = PlanTunnel(a, Untrusted());
  EXPECT_TRUE(plan.up);
  EXPECT_THAT(plan.reason, HasSubstr("not on a trusted network"));
  // Always-on ignores where the device is.
  EXPECT_TRUE(PlanTunnel(FullAssignment(), Trusted()).up);
}

TEST(TunnelPlanTest, MalformedProfileIsRefusedNamingTheField) {
  v1::VpnAssignment a = FullAssignment();
  a.mutable_profile()->set_gateway_endpoint("not an endpoint");
  TunnelPlan plan = PlanTunnel(a, Untrusted());
  EXPECT_FALSE(plan.up);
  EXPECT_TRUE(plan.refused);
  EXPECT_FALSE(plan.HasPeer());
  EXPECT_THAT(plan.reason, HasSubstr("vpn profile 'corp': gateway_endpoint"));

  a = FullAssignment();
  a.clear_tunnel_address();
  plan = PlanTunnel(a, Untrusted());
  EXPECT_TRUE(plan.refused);
  EXPECT_THAT(plan.reason, HasSubstr("tunnel_address"));
}

TEST(TunnelPlanTest, FullTunnelAndNormalisedRoutes) {
  v1::VpnAssignment a = FullAssignment();
  a.mutable_profile()->clear_routes();
  a.mutable_profile()->add_routes("0.0.0.0/0");
  a.mutable_profile()->add_routes("10.1.0.0/16");
  a.mutable_profile()->add_routes("10.1.0.0/16");
  a.mutable_profile()->add_routes("FD00:0::/16");
  TunnelPlan plan = PlanTunnel(a, Untrusted());
  EXPECT_TRUE(plan.FullTunnelIpv4());
  EXPECT_THAT(plan.allowed_ips,
              ElementsAre("0.0.0.0/0", "10.1.0.0/16", "fd00::/16"));

  // Host bits set: the server never sends that, so it is refused rather
  // than guessed at.
  a.mutable_profile()->add_routes("10.1.2.3/16");
  plan = PlanTunnel(a, Untrusted());
  EXPECT_TRUE(plan.refused);
  EXPECT_THAT(plan.reason, HasSubstr("did you mean 10.1.0.0/16"));
}

}  // namespace
}  // namespace trellis::agent
