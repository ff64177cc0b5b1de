#include "server/auth/peer_certificate.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::server {
namespace {

TEST(PeerHostTest, StripsPortFromIpv4Peer) {
  EXPECT_EQ(PeerHost("ipv4:127.0.0.1:5555"), "ipv4:127.0.0.1");
  EXPECT_EQ(PeerHost("ipv4:10.1.2.3:1"), "ipv4:10.1.2.3");
}

TEST(PeerHostTest, StripsPortFromBracketedIpv6Peer) {
  EXPECT_EQ(PeerHost("ipv6:[::1]:5"), "ipv6:[::1]");
  EXPECT_EQ(PeerHost("ipv6:[2001:db8::7]:44321"), "ipv6:[2001:db8::7]");
}

TEST(PeerHostTest, DifferentPortsOfOneHostShareAKey) {
  EXPECT_EQ(PeerHost("ipv4:192.0.2.9:1000"), PeerHost("ipv4:192.0.2.9:2000"));
  EXPECT_NE(PeerHost("ipv4:192.0.2.9:1000"), PeerHost("ipv4:192.0.2.10:1000"));
}

TEST(PeerHostTest, LeavesPeerWithoutPortAlone) {
  EXPECT_EQ(PeerHost("unix:/run/trellis.sock"), "unix:/run/trellis.sock");
  EXPECT_EQ(PeerHost("localhost"), "localhost");
}

}  // namespace
}  // namespace trellis::server
