#include "agent/vpn/linux/wg_dump.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent::linux_vpn {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Shaped like wg v1.0.20210914 prints it for a wireguard-go v0.0.20220316
// interface (the handshake and counters are made up).
constexpr char kDump[] =
    "qED/JANirur7fldAN/rdMHffNHznwMwXpQciZO5odGU=\t"
    "WEn8hrW/IDnjRBUzJlXNgEniyX7qZjnDS05rgk8hWBU=\t46690\t0xca6c\n"
    "F/UFbes7VFDv2Gt4VMVnme/snEGDR61pgKlZi2AZEXk=\t(none)\t192.0.2.1:51820\t"
    "10.1.0.0/16,0.0.0.0/0\t1767225600\t1024\t2048\t25\n"
    "qED/JANirur7fldAN/rdMHffNHznwMwXpQciZO5odGU=\t(none)\t(none)\t(none)\t0\t0"
    "\t0\toff\n";

TEST(WgDumpTest, ParsesInterfaceAndPeers) {
  auto dump = ParseWgDump(kDump);
  ASSERT_TRUE(dump.ok()) << dump.status();
  EXPECT_EQ(dump->interface.public_key,
            "WEn8hrW/IDnjRBUzJlXNgEniyX7qZjnDS05rgk8hWBU=");
  EXPECT_EQ(dump->interface.listen_port, 46690);
  EXPECT_EQ(dump->interface.fwmark, 51820u);
  ASSERT_EQ(dump->peers.size(), 2u);
  const WgPeerDump& p = dump->peers[0];
  EXPECT_EQ(p.public_key, "F/UFbes7VFDv2Gt4VMVnme/snEGDR61pgKlZi2AZEXk=");
  EXPECT_FALSE(p.has_preshared_key);
  EXPECT_EQ(p.endpoint, "192.0.2.1:51820");
  EXPECT_THAT(p.allowed_ips, ElementsAre("10.1.0.0/16", "0.0.0.0/0"));
  EXPECT_EQ(p.latest_handshake, 1767225600);
  EXPECT_EQ(p.transfer_rx, 1024u);
  EXPECT_EQ(p.transfer_tx, 2048u);
  EXPECT_EQ(p.persistent_keepalive, 25);
  EXPECT_EQ(dump->peers[1].endpoint, "");
  EXPECT_THAT(dump->peers[1].allowed_ips, IsEmpty());
  EXPECT_EQ(dump->peers[1].persistent_keepalive, 0);
}

TEST(WgDumpTest, FreshInterface) {
  auto dump = ParseWgDump("(none)\t(none)\t0\toff\n");
  ASSERT_TRUE(dump.ok()) << dump.status();
  EXPECT_EQ(dump->interface.private_key, "");
  EXPECT_EQ(dump->interface.public_key, "");
  EXPECT_EQ(dump->interface.fwmark, 0u);
  EXPECT_THAT(dump->peers, IsEmpty());
}

TEST(WgDumpTest, MalformedLinesNameLineAndField) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : {
           Case{"", "line 1: empty output"},
           Case{"a\tb\t1\n", "line 1: interface line needs 4"},
           Case{"a\tb\tport\toff\n", "line 1: listen-port 'port'"},
           Case{"a\tb\t1\tmark\n", "line 1: fwmark 'mark'"},
           Case{"a\tb\t1\toff\nk\t(none)\t(none)\n",
                "line 2: peer line needs 8"},
           Case{"a\tb\t1\toff\nk\t(none)\t(none)\t(none)\tsoon\t0\t0\toff\n",
                "line 2: latest-handshake 'soon'"},
           Case{"a\tb\t1\toff\nk\t(none)\t(none)\t(none)\t0\t-1\t0\toff\n",
                "line 2: transfer counters"},
           Case{"a\tb\t1\toff\nk\t(none)\t(none)\t(none)\t0\t0\t0\tx\n",
                "line 2: persistent-keepalive 'x'"},
           Case{"a\tb\t1\toff\n(none)\t(none)\t(none)\t(none)\t0\t0\t0\toff\n",
                "line 2: peer has no public key"},
       }) {
    auto dump = ParseWgDump(c.text);
    EXPECT_FALSE(dump.ok()) << c.text;
    EXPECT_THAT(dump.status().message(), HasSubstr(c.error)) << c.text;
  }
}

}  // namespace
}  // namespace trellis::agent::linux_vpn
