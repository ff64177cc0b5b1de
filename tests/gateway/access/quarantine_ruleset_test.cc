#include "gateway/access/quarantine_ruleset.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/testing/peer_messages.h"

namespace trellis::gateway {
namespace {

using ::testing::ElementsAre;
using testing::FullPeer;
using testing::Key;
using testing::QuarantinedPeer;

TEST(QuarantineRulesetTest, GoldenRuleset) {
  QuarantineSet peers = {
      {"A", {"10.200.0.7/32", "fd00::7/128"}, {"10.1.0.0/16", "10.2.0.5/32"}},
      {"B", {"10.200.0.9/32"}, {"10.1.0.0/16", "fd00:99::/64"}},
  };
  EXPECT_EQ(
      RenderQuarantineRuleset("wg0", peers),
      R"(# Quarantine for WireGuard interface wg0, written by trellis-gateway.
# Quarantined peers: 2. Replaced whole on every change.
table inet trellis_wg0
delete table inet trellis_wg0
table inet trellis_wg0 {
	set quarantined_v4 {
		type ipv4_addr
		flags interval
		auto-merge
		elements = {
			10.200.0.7/32,
			10.200.0.9/32,
		}
	}
	set quarantined_v6 {
		type ipv6_addr
		flags interval
		auto-merge
		elements = {
			fd00::7/128,
		}
	}
	set permitted_v4 {
		type ipv4_addr . ipv4_addr
		flags interval
		elements = {
			10.200.0.7/32 . 10.1.0.0/16,
			10.200.0.7/32 . 10.2.0.5/32,
			10.200.0.9/32 . 10.1.0.0/16,
		}
	}
	set permitted_v6 {
		type ipv6_addr . ipv6_addr
		flags interval
	}
	chain quarantine {
		ip saddr . ip daddr @permitted_v4 accept
		ip6 saddr . ip6 daddr @permitted_v6 accept
		drop
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "wg0" ip saddr @quarantined_v4 goto quarantine
		iifname "wg0" ip6 saddr @quarantined_v6 goto quarantine
	}
	chain input {
		type filter hook input priority filter; policy accept;
		iifname "wg0" ip saddr @quarantined_v4 goto quarantine
		iifname "wg0" ip6 saddr @quarantined_v6 goto quarantine
	}
}
)");
}

TEST(QuarantineRulesetTest, GoldenRemoval) {
  EXPECT_EQ(RenderTableRemoval("wg-corp.1"),
            "# No quarantined peers on wg-corp.1: trellis-gateway removes its "
            "table.\n"
            "table inet trellis_wg_corp_1\n"
            "delete table inet trellis_wg_corp_1\n");
}

// nft refuses overlapping intervals in a concatenated set, so a destination
// inside another one of the same source is left out, and duplicates collapse.
TEST(QuarantineRulesetTest, NoOverlappingPairs) {
  QuarantineSet peers = {
      {"A", {"10.200.0.7/32"}, {"10.1.2.0/24", "10.0.0.0/8", "10.0.0.0/8"}},
      {"B", {"10.200.0.7/32"}, {"10.0.0.0/8"}},  // same address as A
  };
  std::string text = RenderQuarantineRuleset("wg0", peers);
  EXPECT_THAT(
      text, ::testing::HasSubstr("\t\telements = {\n"
                                 "\t\t\t10.200.0.7/32 . 10.0.0.0/8,\n\t\t}\n"));
  EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("10.1.2.0/24")));
}

TEST(QuarantineRulesetTest, QuarantinedPeersPicksOnlyQuarantine) {
  PeerSet peers;
  for (const v1::GatewayPeer& p :
       {FullPeer(1, "dev-1", {"10.200.0.1/32"}),
        QuarantinedPeer(2, "dev-2", {"10.200.0.2/32"}, {"10.1.0.0/16"})}) {
    peers[p.public_key()] = *ToDesiredPeer(p);
  }
  QuarantineSet set = QuarantinedPeers(peers);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0].public_key, Key(2));
  EXPECT_THAT(set[0].sources, ElementsAre("10.200.0.2/32"));
  EXPECT_THAT(set[0].destinations, ElementsAre("10.1.0.0/16"));
}

}  // namespace
}  // namespace trellis::gateway
