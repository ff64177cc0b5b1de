#include "server/vpn/tunnel_address_pool.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::server {
namespace {

TEST(TunnelAddressPoolTest, ReservesNetworkGatewayAndBroadcast) {
  auto pool = MakeTunnelAddressPool("10.200.0.0/16");
  ASSERT_TRUE(pool.ok());
  EXPECT_EQ(net::FormatIpv4(pool->first_assignable), "10.200.0.2");
  EXPECT_EQ(net::FormatIpv4(pool->last_assignable), "10.200.255.254");
  EXPECT_EQ(pool->size(), 65533u);
  EXPECT_EQ(TunnelAddressPool::HostRoute(pool->first_assignable),
            "10.200.0.2/32");
}

TEST(TunnelAddressPoolTest, RefusesBadBlocksWithTheFlagName) {
  for (const char* bad :
       {"10.200.0.0/30", "10.0.0.0/7", "10.200.0.1/16", "fd00::/64", "pool"}) {
    auto pool = MakeTunnelAddressPool(bad);
    ASSERT_FALSE(pool.ok()) << bad;
    EXPECT_THAT(pool.status().message(), ::testing::HasSubstr("--vpn-pool"));
  }
}

}  // namespace
}  // namespace trellis::server
