#include "agent/vpn/net_text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;

TEST(NetTextTest, CidrsParseAndNormalise) {
  EXPECT_EQ(ParseCidr("10.200.0.7/32")->ToString(), "10.200.0.7/32");
  EXPECT_EQ(ParseNetwork("10.1.2.3/16")->ToString(), "10.1.0.0/16");
  EXPECT_EQ(ParseNetwork("fd00:0:0::1/8")->ToString(), "fd00::/8");
  EXPECT_TRUE(ParseNetwork("0.0.0.0/0")->IsDefaultRoute());
  EXPECT_TRUE(ParseCidr("::/0")->ipv6);
}

TEST(NetTextTest, BadCidrsAreRefused) {
  for (const char* bad :
       {"10.0.0.0", "10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1",
        "x/8", "10.0.0.0/8,1.2.3.4/32", "fd00::/129", "10.0.0.0/8 "}) {
    EXPECT_FALSE(ParseCidr(bad).ok()) << bad;
  }
  EXPECT_THAT(ParseCidr("10.0.0.0").status().message(),
              HasSubstr("address/prefix"));
}

TEST(NetTextTest, Endpoints) {
  auto named = ParseEndpoint("vpn.council.example:51820");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->host, "vpn.council.example");
  EXPECT_EQ(named->port, 51820);
  EXPECT_FALSE(named->host_is_ip);
  auto v4 = ParseEndpoint("192.0.2.1:443");
  ASSERT_TRUE(v4.ok());
  EXPECT_TRUE(v4->host_is_ip);
  auto v6 = ParseEndpoint("[2001:db8::1]:51820");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "2001:db8::1");
  for (const char* bad :
       {"vpn.example", "vpn.example:0", "vpn.example:65536", ":51820",
        "2001:db8::1:51820", "[2001:db8::1]", "vpn example:1", "-x.example:1",
        "vpn.example:12ab", "[vpn.example]:1", "a;rm -rf:1"}) {
    EXPECT_FALSE(ParseEndpoint(bad).ok()) << bad;
  }
}

TEST(NetTextTest, DnsNamesAndAddresses) {
  EXPECT_TRUE(IsDnsName("corp.example"));
  EXPECT_TRUE(IsDnsName("corp.example."));
  EXPECT_FALSE(IsDnsName(""));
  EXPECT_FALSE(IsDnsName("corp..example"));
  EXPECT_FALSE(IsDnsName("corp_example"));
  EXPECT_FALSE(IsDnsName(std::string(64, 'a') + ".example"));
  EXPECT_TRUE(IsIpAddress("10.0.0.53"));
  EXPECT_TRUE(IsIpAddress("fd00::53"));
  EXPECT_FALSE(IsIpAddress("10.0.0.53/32"));
}

}  // namespace
}  // namespace trellis::agent
