#include "common/net/ip_address.h"

#include "gtest/gtest.h"

namespace trellis::net {
namespace {

TEST(IpAddressTest, ParsesAndFormatsIpv4) {
  auto a = ParseIpv4("10.200.3.4");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, 0x0ac80304u);
  EXPECT_EQ(FormatIpv4(*a), "10.200.3.4");
  EXPECT_FALSE(ParseIpv4("10.200.3").ok());
  EXPECT_FALSE(ParseIpv4("10.200.3.256").ok());
  EXPECT_FALSE(ParseIpv4("").ok());
  EXPECT_FALSE(ParseIpv4(std::string(100, '1')).ok());
}

TEST(IpAddressTest, Ipv4BlocksRejectHostBitsAndBadPrefixes) {
  auto b = ParseIpv4Block("10.200.0.0/16");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->first(), 0x0ac80000u);
  EXPECT_EQ(b->last(), 0x0ac8ffffu);
  EXPECT_EQ(ParseIpv4Block("0.0.0.0/0")->last(), 0xffffffffu);
  auto host_bits = ParseIpv4Block("10.200.0.1/16");
  ASSERT_FALSE(host_bits.ok());
  EXPECT_NE(host_bits.status().message().find("did you mean 10.200.0.0/16"),
            std::string::npos);
  EXPECT_FALSE(ParseIpv4Block("10.0.0.0/33").ok());
  EXPECT_FALSE(ParseIpv4Block("10.0.0.0").ok());
  EXPECT_FALSE(ParseIpv4Block("10.0.0.0/x").ok());
}

TEST(IpAddressTest, ValidatesCidrsOfBothFamilies) {
  EXPECT_TRUE(ValidateCidr("0.0.0.0/0").ok());
  EXPECT_TRUE(ValidateCidr("::/0").ok());
  EXPECT_TRUE(ValidateCidr("2001:db8::/32").ok());
  EXPECT_FALSE(ValidateCidr("2001:db8::1/32").ok());
  EXPECT_FALSE(ValidateCidr("2001:db8::/129").ok());
  EXPECT_FALSE(ValidateCidr("fe80::/").ok());
}

TEST(IpAddressTest, ValidatesAddresses) {
  EXPECT_TRUE(ValidateIpAddress("10.0.0.53").ok());
  EXPECT_TRUE(ValidateIpAddress("2001:db8::53").ok());
  EXPECT_FALSE(ValidateIpAddress("dns.example").ok());
}

TEST(IpAddressTest, ValidatesEndpoints) {
  EXPECT_TRUE(ValidateEndpoint("vpn.council.example:51820").ok());
  EXPECT_TRUE(ValidateEndpoint("192.0.2.1:51820").ok());
  EXPECT_TRUE(ValidateEndpoint("[2001:db8::1]:51820").ok());
  EXPECT_FALSE(ValidateEndpoint("vpn.council.example").ok());
  EXPECT_FALSE(ValidateEndpoint("vpn.council.example:0").ok());
  EXPECT_FALSE(ValidateEndpoint("vpn.council.example:65536").ok());
  EXPECT_FALSE(ValidateEndpoint("2001:db8::1:51820").ok());
  EXPECT_FALSE(ValidateEndpoint("bad_host!:51820").ok());
  EXPECT_FALSE(ValidateEndpoint(":51820").ok());
  EXPECT_FALSE(ValidateEndpoint("-bad.example:1").ok());
}

}  // namespace
}  // namespace trellis::net
