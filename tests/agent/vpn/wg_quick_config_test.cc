#include "agent/vpn/wg_quick_config.h"

#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"

namespace trellis::agent {
namespace {

constexpr char kPrivate[] = "uKyeOOjTcGiDmVWpdMZuL4+XxzXnG2tyUQOjcQkovWo=";

TEST(WgQuickConfigTest, SplitTunnel) {
  TunnelPlan plan =
      PlanTunnel(vpn_testing::FullAssignment(), TrustedNetworkResult());
  EXPECT_EQ(RenderWgQuickConfig(plan, kPrivate),
            "[Interface]\n"
            "PrivateKey = uKyeOOjTcGiDmVWpdMZuL4+XxzXnG2tyUQOjcQkovWo=\n"
            "Address = 10.200.0.7/32\n"
            "DNS = 10.0.0.53, corp.example\n"
            "\n"
            "[Peer]\n"
            "PublicKey = F/UFbes7VFDv2Gt4VMVnme/snEGDR61pgKlZi2AZEXk=\n"
            "Endpoint = vpn.council.example:51820\n"
            "AllowedIPs = 10.0.0.0/8, 192.168.50.0/24\n"
            "PersistentKeepalive = 25\n");
}

TEST(WgQuickConfigTest, QuarantineWithoutDnsOrKeepalive) {
  v1::VpnAssignment a = vpn_testing::FullAssignment();
  a.set_access(v1::VPN_ACCESS_QUARANTINE);
  a.mutable_profile()->clear_dns_servers();
  a.mutable_profile()->clear_dns_search_domains();
  a.mutable_profile()->set_persistent_keepalive_seconds(0);
  TunnelPlan plan = PlanTunnel(a, TrustedNetworkResult());
  EXPECT_EQ(RenderWgQuickConfig(plan, kPrivate),
            "[Interface]\n"
            "PrivateKey = uKyeOOjTcGiDmVWpdMZuL4+XxzXnG2tyUQOjcQkovWo=\n"
            "Address = 10.200.0.7/32\n"
            "\n"
            "[Peer]\n"
            "PublicKey = F/UFbes7VFDv2Gt4VMVnme/snEGDR61pgKlZi2AZEXk=\n"
            "Endpoint = vpn.council.example:51820\n"
            "AllowedIPs = 10.9.0.0/16\n");
}

}  // namespace
}  // namespace trellis::agent
