#include "gateway/net/cidr.h"

#include "gtest/gtest.h"

namespace trellis::gateway {
namespace {

TEST(CidrTest, ParsesPrefixesAndBareAddresses) {
  EXPECT_EQ(ParseCidr("10.200.0.7/32")->ToString(), "10.200.0.7/32");
  EXPECT_EQ(ParseCidr("10.200.0.7")->ToString(), "10.200.0.7/32");
  EXPECT_EQ(ParseCidr("fd00::7")->ToString(), "fd00::7/128");
  EXPECT_EQ(ParseCidr("0.0.0.0/0")->ToString(), "0.0.0.0/0");
  EXPECT_FALSE(ParseCidr("10.200.0.7/32")->Contains(*ParseCidr("fd00::/0")));
}

TEST(CidrTest, ClearsHostBitsLikeWireGuard) {
  EXPECT_EQ(ParseCidr("10.1.2.3/16")->ToString(), "10.1.0.0/16");
  EXPECT_EQ(ParseCidr("10.1.2.3/20")->ToString(), "10.1.0.0/20");
  EXPECT_EQ(ParseCidr("fd00:1:2:3::9/48")->ToString(), "fd00:1:2::/48");
}

TEST(CidrTest, RejectsGarbage) {
  for (const char* bad :
       {"", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1", "10.0.0.1/+8",
        "fd00::/129", "10.0.0", "host/8", "10.0.0.1/8/8", " 10.0.0.1/32"}) {
    EXPECT_FALSE(ParseCidr(bad).ok()) << bad;
  }
}

TEST(CidrTest, Contains) {
  Cidr net = *ParseCidr("10.1.0.0/16");
  EXPECT_TRUE(net.Contains(*ParseCidr("10.1.2.0/24")));
  EXPECT_TRUE(net.Contains(net));
  EXPECT_FALSE(net.Contains(*ParseCidr("10.2.0.0/24")));
  EXPECT_FALSE(net.Contains(*ParseCidr("10.0.0.0/8")));
  EXPECT_TRUE(ParseCidr("10.1.0.0/12")->Contains(*ParseCidr("10.15.0.0/16")));
}

}  // namespace
}  // namespace trellis::gateway
