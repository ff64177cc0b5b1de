#include "common/net/ip_address.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::net {
namespace {

using ::testing::HasSubstr;

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
  EXPECT_FALSE(ParseIpv4Block("10.0.0.0/+8").ok());
  EXPECT_FALSE(ValidateCidr("fd00::/+8").ok());
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
  // Container service names use '_'; resolvers accept it.
  EXPECT_TRUE(ValidateEndpoint("trellis_server:8443").ok());
  EXPECT_FALSE(ValidateEndpoint(":51820").ok());
  EXPECT_FALSE(ValidateEndpoint("-bad.example:1").ok());
}

TEST(IpAddressTest, CidrsParseAndNormalise) {
  EXPECT_EQ(ParseCidr("10.200.0.7/32")->ToString(), "10.200.0.7/32");
  // An interface address keeps its host bits; a network does not.
  EXPECT_EQ(ParseCidr("10.200.0.7/24")->ToString(), "10.200.0.7/24");
  EXPECT_EQ(ParseNetwork("10.1.2.3/16")->ToString(), "10.1.0.0/16");
  EXPECT_EQ(ParseNetwork("fd00:0:0::1/8")->ToString(), "fd00::/8");
  EXPECT_TRUE(ParseNetwork("0.0.0.0/0")->IsDefaultRoute());
  EXPECT_TRUE(ParseCidr("::/0")->is_ipv6());
  EXPECT_EQ(ParseCidr("FD00:0::1/128")->AddressText(), "fd00::1");
}

TEST(IpAddressTest, BadCidrsAreRefused) {
  for (const char* bad :
       {"10.0.0.0", "10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1",
        "x/8", "10.0.0.0/8,1.2.3.4/32", "fd00::/129", "10.0.0.0/8 "}) {
    EXPECT_FALSE(ParseCidr(bad).ok()) << bad;
    EXPECT_FALSE(ParseNetwork(bad).ok()) << bad;
  }
  EXPECT_THAT(ParseCidr("10.0.0.0").status().message(),
              HasSubstr("address/prefix"));
}

TEST(IpAddressTest, HostOrNetworkTakesPrefixesAndBareAddresses) {
  EXPECT_EQ(ParseHostOrNetwork("10.200.0.7/32")->ToString(), "10.200.0.7/32");
  EXPECT_EQ(ParseHostOrNetwork("10.200.0.7")->ToString(), "10.200.0.7/32");
  EXPECT_EQ(ParseHostOrNetwork("fd00::7")->ToString(), "fd00::7/128");
  EXPECT_EQ(ParseHostOrNetwork("0.0.0.0/0")->ToString(), "0.0.0.0/0");
  EXPECT_FALSE(ParseHostOrNetwork("10.200.0.7/32")
                   ->Contains(*ParseHostOrNetwork("fd00::/0")));
}

TEST(IpAddressTest, HostOrNetworkClearsHostBitsLikeWireGuard) {
  EXPECT_EQ(ParseHostOrNetwork("10.1.2.3/16")->ToString(), "10.1.0.0/16");
  EXPECT_EQ(ParseHostOrNetwork("10.1.2.3/20")->ToString(), "10.1.0.0/20");
  EXPECT_EQ(ParseHostOrNetwork("fd00:1:2:3::9/48")->ToString(),
            "fd00:1:2::/48");
}

TEST(IpAddressTest, HostOrNetworkRejectsGarbage) {
  for (const char* bad :
       {"", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1", "10.0.0.1/+8",
        "fd00::/129", "10.0.0", "host/8", "10.0.0.1/8/8", " 10.0.0.1/32"}) {
    EXPECT_FALSE(ParseHostOrNetwork(bad).ok()) << bad;
  }
}

TEST(IpAddressTest, CidrContains) {
  Cidr net = *ParseHostOrNetwork("10.1.0.0/16");
  EXPECT_TRUE(net.Contains(*ParseHostOrNetwork("10.1.2.0/24")));
  EXPECT_TRUE(net.Contains(net));
  EXPECT_FALSE(net.Contains(*ParseHostOrNetwork("10.2.0.0/24")));
  EXPECT_FALSE(net.Contains(*ParseHostOrNetwork("10.0.0.0/8")));
  EXPECT_TRUE(ParseHostOrNetwork("10.1.0.0/12")
                  ->Contains(*ParseHostOrNetwork("10.15.0.0/16")));
}

TEST(IpAddressTest, ParsesEndpoints) {
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
  EXPECT_TRUE(v6->host_is_ip);
  for (const char* bad :
       {"vpn.example", "vpn.example:0", "vpn.example:65536", ":51820",
        "2001:db8::1:51820", "[2001:db8::1]", "vpn example:1", "-x.example:1",
        "vpn.example:12ab", "vpn.example:+80", "vpn.example: 80",
        "[vpn.example]:1", "a;rm -rf:1"}) {
    EXPECT_FALSE(ParseEndpoint(bad).ok()) << bad;
    EXPECT_FALSE(ValidateEndpoint(bad).ok()) << bad;
  }
}

// A mistyped IPv4 address is neither an address nor a name: a top-level
// label is never all digits.
TEST(IpAddressTest, NumericTopLevelLabelIsNotADnsName) {
  for (const char* bad :
       {"999.1.1.1", "10.0.0.256", "1234", "corp.123", "999.1.1.1."}) {
    EXPECT_FALSE(IsDnsName(bad)) << bad;
  }
  EXPECT_TRUE(IsDnsName("123.example"));
  EXPECT_TRUE(IsDnsName("vpn1.corp2"));
  auto endpoint = ParseEndpoint("999.1.1.1:51820");
  ASSERT_FALSE(endpoint.ok());
  EXPECT_THAT(std::string(endpoint.status().message()),
              HasSubstr("neither an IP address nor a DNS name"));
}

TEST(IpAddressTest, DnsNamesAndAddresses) {
  EXPECT_TRUE(IsDnsName("corp.example"));
  EXPECT_TRUE(IsDnsName("corp.example."));
  EXPECT_FALSE(IsDnsName(""));
  EXPECT_FALSE(IsDnsName("corp..example"));
  EXPECT_TRUE(IsDnsName("corp_example"));  // resolvers take it
  EXPECT_FALSE(IsDnsName("corp example"));
  EXPECT_FALSE(IsDnsName(std::string(64, 'a') + ".example"));
  EXPECT_TRUE(ValidateIpAddress("10.0.0.53").ok());
  EXPECT_TRUE(ValidateIpAddress("fd00::53").ok());
  EXPECT_FALSE(ValidateIpAddress("10.0.0.53/32").ok());
}

}  // namespace
}  // namespace trellis::net
