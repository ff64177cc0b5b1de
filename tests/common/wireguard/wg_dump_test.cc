#include "common/wireguard/wg_dump.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::wireguard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Recorded from `wg show trgw0 dump` on wireguard-go (private key and
// preshared key replaced): one peer with everything set, one with only
// allowed-ips, one with nothing.
constexpr char kDump[] =
    "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\t"
    "Eo7PrEC+bjL1pY1H+4DN6QZLnMnBtoXJX1b1HFpMpzA=\t51820\t0xca6c\n"
    "+5lhW7TWdf78N4Aqk02Zod0AW+aPSYS3fdE5Tzn4AAg=\t"
    "FZnDY8eBFQ3cxyuGiDnYlPDDcE5AvW1vKu3XG0z3nTo=\t192.0.2.1:51820\t"
    "10.200.0.7/32,fd00::7/128\t1767225600\t3100\t148\t25\n"
    "sbW4bzPAs1ad9+mWFVpx6IzRpBBR1Tnbyv4JaKnNhVI=\t(none)\t(none)\t"
    "10.200.0.8/32\t0\t0\t0\toff\n"
    "KfYtEZG0kZlp95svkSHS8eLd5/x7WzRuTX3sw7KTclk=\t(none)\t(none)\t(none)\t"
    "0\t0\t0\toff\n";

// Shaped like wg v1.0.20210914 prints it for a wireguard-go v0.0.20220316
// client interface (the handshake and counters are made up).
constexpr char kClientDump[] =
    "qED/JANirur7fldAN/rdMHffNHznwMwXpQciZO5odGU=\t"
    "WEn8hrW/IDnjRBUzJlXNgEniyX7qZjnDS05rgk8hWBU=\t46690\t0xca6c\n"
    "F/UFbes7VFDv2Gt4VMVnme/snEGDR61pgKlZi2AZEXk=\t(none)\t192.0.2.1:51820\t"
    "10.1.0.0/16,0.0.0.0/0\t1767225600\t1024\t2048\t25\n"
    "qED/JANirur7fldAN/rdMHffNHznwMwXpQciZO5odGU=\t(none)\t(none)\t(none)\t0\t0"
    "\t0\toff\n";

TEST(WgDumpTest, ParsesInterfaceAndPeers) {
  absl::StatusOr<WgDump> dump = ParseWgDump(kDump);
  ASSERT_TRUE(dump.ok()) << dump.status();
  EXPECT_EQ(dump->interface.public_key,
            "Eo7PrEC+bjL1pY1H+4DN6QZLnMnBtoXJX1b1HFpMpzA=");
  EXPECT_EQ(dump->interface.listen_port, 51820);
  EXPECT_EQ(dump->interface.fwmark, 0xca6cu);
  ASSERT_EQ(dump->peers.size(), 3u);

  const WgPeerState& full = dump->peers[0];
  EXPECT_EQ(full.public_key, "+5lhW7TWdf78N4Aqk02Zod0AW+aPSYS3fdE5Tzn4AAg=");
  EXPECT_TRUE(full.has_preshared_key);
  EXPECT_EQ(full.endpoint, "192.0.2.1:51820");
  EXPECT_THAT(full.allowed_ips, ElementsAre("10.200.0.7/32", "fd00::7/128"));
  EXPECT_EQ(full.latest_handshake_unix, 1767225600);
  EXPECT_EQ(full.transfer_rx, 3100u);
  EXPECT_EQ(full.transfer_tx, 148u);
  EXPECT_EQ(full.persistent_keepalive_seconds, 25);

  EXPECT_FALSE(dump->peers[1].has_preshared_key);
  EXPECT_THAT(dump->peers[1].allowed_ips, ElementsAre("10.200.0.8/32"));
  EXPECT_EQ(dump->peers[1].persistent_keepalive_seconds, 0);
}

TEST(WgDumpTest, ParsesClientInterfaceAndPeers) {
  absl::StatusOr<WgDump> dump = ParseWgDump(kClientDump);
  ASSERT_TRUE(dump.ok()) << dump.status();
  EXPECT_EQ(dump->interface.public_key,
            "WEn8hrW/IDnjRBUzJlXNgEniyX7qZjnDS05rgk8hWBU=");
  EXPECT_EQ(dump->interface.listen_port, 46690);
  EXPECT_EQ(dump->interface.fwmark, 51820u);
  ASSERT_EQ(dump->peers.size(), 2u);
  const WgPeerState& p = dump->peers[0];
  EXPECT_EQ(p.public_key, "F/UFbes7VFDv2Gt4VMVnme/snEGDR61pgKlZi2AZEXk=");
  EXPECT_FALSE(p.has_preshared_key);
  EXPECT_EQ(p.endpoint, "192.0.2.1:51820");
  EXPECT_THAT(p.allowed_ips, ElementsAre("10.1.0.0/16", "0.0.0.0/0"));
  EXPECT_EQ(p.latest_handshake_unix, 1767225600);
  EXPECT_EQ(p.transfer_rx, 1024u);
  EXPECT_EQ(p.transfer_tx, 2048u);
  EXPECT_EQ(p.persistent_keepalive_seconds, 25);
  EXPECT_EQ(dump->peers[1].endpoint, "");
  EXPECT_THAT(dump->peers[1].allowed_ips, IsEmpty());
  EXPECT_EQ(dump->peers[1].persistent_keepalive_seconds, 0);
}

TEST(WgDumpTest, NoneMeansEmpty) {
  absl::StatusOr<WgDump> dump = ParseWgDump(
      "(none)\t(none)\t0\toff\n"
      "KfYtEZG0kZlp95svkSHS8eLd5/x7WzRuTX3sw7KTclk=\t(none)\t(none)\t(none)\t"
      "0\t0\t0\toff\n");
  ASSERT_TRUE(dump.ok()) << dump.status();
  EXPECT_EQ(dump->interface.public_key, "");
  EXPECT_EQ(dump->interface.fwmark, 0u);
  ASSERT_EQ(dump->peers.size(), 1u);
  EXPECT_EQ(dump->peers[0].endpoint, "");
  EXPECT_THAT(dump->peers[0].allowed_ips, IsEmpty());
}

TEST(WgDumpTest, InterfaceWithoutPeers) {
  absl::StatusOr<WgDump> dump = ParseWgDump("(none)\t(none)\t58966\toff\n");
  ASSERT_TRUE(dump.ok()) << dump.status();
  EXPECT_EQ(dump->interface.listen_port, 58966);
  EXPECT_THAT(dump->peers, IsEmpty());
}

TEST(WgDumpTest, FreshInterface) {
  absl::StatusOr<WgDump> dump = ParseWgDump("(none)\t(none)\t0\toff\n");
  ASSERT_TRUE(dump.ok()) << dump.status();
  EXPECT_EQ(dump->interface.public_key, "");
  EXPECT_EQ(dump->interface.fwmark, 0u);
  EXPECT_THAT(dump->peers, IsEmpty());
}

TEST(WgDumpTest, CanonicalisesAllowedIps) {
  absl::StatusOr<WgDump> dump = ParseWgDump(
      "(none)\t(none)\t0\toff\n"
      "KfYtEZG0kZlp95svkSHS8eLd5/x7WzRuTX3sw7KTclk=\t(none)\t(none)\t"
      "10.1.0.0/16,FD00:0::1/128\t0\t0\t0\toff\n");
  ASSERT_TRUE(dump.ok()) << dump.status();
  EXPECT_THAT(dump->peers[0].allowed_ips,
              ElementsAre("10.1.0.0/16", "fd00::1/128"));
}

struct Malformed {
  const char* peer_line;
  const char* expected;
};

TEST(WgDumpTest, MalformedLinesNameLineAndField) {
  const std::string kKey = "KfYtEZG0kZlp95svkSHS8eLd5/x7WzRuTX3sw7KTclk=";
  const std::string kIface = "(none)\t(none)\t51820\toff\n";
  std::vector<Malformed> cases = {
      {"short\tline\n", "line 2: expected 8 tab-separated fields for a peer"},
      {"@K\t(none)\t(none)\n",
       "line 2: expected 8 tab-separated fields for a peer"},
      {"notakey\t(none)\t(none)\t(none)\t0\t0\t0\toff\n",
       "line 2: field public-key"},
      {"(none)\t(none)\t(none)\t(none)\t0\t0\t0\toff\n",
       "line 2: field public-key: missing"},
      {"@K\tbadpsk\t(none)\t(none)\t0\t0\t0\toff\n",
       "line 2: field preshared-key"},
      {"@K\t(none)\t(none)\t10.0.0.300/32\t0\t0\t0\toff\n",
       "line 2: field allowed-ips: '10.0.0.300/32'"},
      {"@K\t(none)\t(none)\t\t0\t0\t0\toff\n", "line 2: field allowed-ips"},
      {"@K\t(none)\t\t(none)\t0\t0\t0\toff\n", "line 2: field endpoint"},
      {"@K\t(none)\t(none)\t(none)\tyesterday\t0\t0\toff\n",
       "line 2: field latest-handshake: 'yesterday' is not a number"},
      {"@K\t(none)\t(none)\t(none)\tsoon\t0\t0\toff\n",
       "line 2: field latest-handshake: 'soon'"},
      {"@K\t(none)\t(none)\t(none)\t0\t-1\t0\toff\n",
       "line 2: field transfer-rx"},
      {"@K\t(none)\t(none)\t(none)\t0\t0\tlots\toff\n",
       "line 2: field transfer-tx"},
      {"@K\t(none)\t(none)\t(none)\t0\t0\t0\tsometimes\n",
       "line 2: field persistent-keepalive"},
      {"@K\t(none)\t(none)\t(none)\t0\t0\t0\tx\n",
       "line 2: field persistent-keepalive: 'x'"},
      {"@K\t(none)\t(none)\t(none)\t0\t0\t0\t65536\n",
       "line 2: field persistent-keepalive: out of range"},
  };
  for (const Malformed& c : cases) {
    std::string line = c.peer_line;
    if (line.rfind("@K", 0) == 0) line = kKey + line.substr(2);
    absl::StatusOr<WgDump> dump = ParseWgDump(kIface + line);
    ASSERT_FALSE(dump.ok()) << line;
    EXPECT_EQ(dump.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(dump.status().message(), HasSubstr(c.expected)) << line;
  }
}

TEST(WgDumpTest, MalformedInterfaceLine) {
  EXPECT_THAT(ParseWgDump("(none)\t(none)\tport\toff\n").status().message(),
              HasSubstr("line 1: field listen-port: 'port'"));
  EXPECT_THAT(ParseWgDump("(none)\t(none)\t70000\toff\n").status().message(),
              HasSubstr("line 1: field listen-port: out of range"));
  EXPECT_THAT(ParseWgDump("(none)\t(none)\t1\tmark\n").status().message(),
              HasSubstr("line 1: field fwmark: 'mark'"));
  for (const char* mark : {"51820", "0x", "0x123456789", "0x-1", "0xg"}) {
    EXPECT_THAT(ParseWgDump(absl::StrCat("(none)\t(none)\t1\t", mark, "\n"))
                    .status()
                    .message(),
                HasSubstr("line 1: field fwmark"))
        << mark;
  }
  EXPECT_THAT(ParseWgDump("(none)\t(none)\t1\n").status().message(),
              HasSubstr("line 1: expected 4"));
  // The private key is never quoted, not even when it is malformed.
  absl::Status bad_private = ParseWgDump("secret\t(none)\t1\toff\n").status();
  EXPECT_THAT(bad_private.message(), HasSubstr("line 1: field private-key"));
  EXPECT_THAT(std::string(bad_private.message()),
              ::testing::Not(HasSubstr("secret")));
}

TEST(WgDumpTest, EmptyOutputIsAnError) {
  EXPECT_THAT(ParseWgDump("").status().message(),
              HasSubstr("line 1: empty output"));
  EXPECT_THAT(ParseWgDump("\n\n").status().message(),
              HasSubstr("empty output"));
}

TEST(WgDumpTest, ErrorsCountLinesIncludingEarlierPeers) {
  std::string text = std::string(kDump) + "garbage\n";
  EXPECT_THAT(ParseWgDump(text).status().message(), HasSubstr("line 5:"));
}

}  // namespace
}  // namespace trellis::wireguard
