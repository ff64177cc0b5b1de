#include "agent/vpn/linux/ip_output.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent::linux_vpn {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Recorded from iproute2 6.1.0.
TEST(IpOutputTest, LinkFlags) {
  EXPECT_TRUE(LinkIsUp(
      "2: tst0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1420 qdisc "
      "pfifo_fast state UNKNOWN mode DEFAULT group default qlen 500\n"
      "    link/none \n"));
  EXPECT_FALSE(LinkIsUp(
      "2: tst0: <POINTOPOINT,MULTICAST,NOARP> mtu 1420 qdisc noop state DOWN "
      "mode DEFAULT group default qlen 500\n    link/none \n"));
  EXPECT_FALSE(LinkIsUp(""));
}

TEST(IpOutputTest, Addresses) {
  EXPECT_THAT(
      ParseInterfaceAddresses(
          "2: tst0    inet 10.200.0.7/32 scope global tst0\\       valid_lft "
          "forever preferred_lft forever\n"
          "2: tst0    inet6 fe80::91d8:cf0e:b23b:ce78/64 scope link "
          "stable-privacy \\       valid_lft forever preferred_lft forever\n"
          "2: tst0    inet6 fd00::7/128 scope global \\       valid_lft "
          "forever preferred_lft forever\n"),
      ElementsAre("10.200.0.7/32", "fd00::7/128"));
  EXPECT_THAT(ParseInterfaceAddresses(""), IsEmpty());
}

TEST(IpOutputTest, Routes) {
  EXPECT_THAT(ParseRouteDestinations("10.1.0.0/16 scope link \n"
                                     "default scope link \n"
                                     "10.200.0.0/24 proto kernel scope link "
                                     "src 10.200.0.7 \n"
                                     "192.0.2.9 scope link \n"
                                     "blackhole 10.66.0.0/16 \n"),
              ElementsAre("10.1.0.0/16", "0.0.0.0/0", "192.0.2.9/32"));
}

TEST(IpOutputTest, Rules) {
  EXPECT_THAT(
      ParseRules("0:\tfrom all lookup local\n"
                 "32764:\tfrom all lookup main suppress_prefixlength 0\n"
                 "32765:\tnot from all fwmark 0xca6c lookup 51820\n"
                 "32766:\tfrom all lookup main\n"),
      ElementsAre("from all lookup local",
                  "from all lookup main suppress_prefixlength 0",
                  "not from all fwmark 0xca6c lookup 51820",
                  "from all lookup main"));
}

TEST(IpOutputTest, Resolvectl) {
  EXPECT_THAT(ParseResolvectlValues("Link 5 (trellis0): 10.0.0.53 10.0.0.54\n"),
              ElementsAre("10.0.0.53", "10.0.0.54"));
  EXPECT_THAT(ParseResolvectlValues("Link 5 (trellis0):\n"), IsEmpty());
}

}  // namespace
}  // namespace trellis::agent::linux_vpn
