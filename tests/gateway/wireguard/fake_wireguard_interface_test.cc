#include "gateway/wireguard/fake_wireguard_interface.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(FakeWireGuardInterfaceTest, BehavesLikeWg) {
  FakeWireGuardInterface wg;
  wg.AddPeer("A", {"10.0.0.1/32", "10.0.0.2/32"});
  ASSERT_TRUE(
      wg.Apply({PeerOp::Set("B", {"10.0.0.2/32"}), PeerOp::Remove("missing")})
          .ok());
  // The address moved from A to B, as in WireGuard.
  EXPECT_THAT(wg.peers(), ElementsAre(Pair("A", ElementsAre("10.0.0.1/32")),
                                      Pair("B", ElementsAre("10.0.0.2/32"))));
  wg.FailNextApply(absl::UnavailableError("boom"));
  EXPECT_FALSE(wg.Apply({PeerOp::Remove("A")}).ok());
  EXPECT_TRUE(wg.Apply({PeerOp::Remove("A")}).ok());
  EXPECT_EQ(wg.batches().size(), 2u);
  absl::StatusOr<std::vector<wireguard::WgPeerState>> listed = wg.ListPeers();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].public_key, "B");
  EXPECT_TRUE(wg.WaitUntil(
      [](const FakeWireGuardInterface::PeerMap& p) { return p.size() == 1; },
      absl::ZeroDuration()));
  EXPECT_FALSE(wg.WaitUntil(
      [](const FakeWireGuardInterface::PeerMap& p) { return p.empty(); },
      absl::Milliseconds(1)));
}

}  // namespace
}  // namespace trellis::gateway
