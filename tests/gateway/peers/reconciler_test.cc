#include "gateway/peers/reconciler.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/testing/peer_messages.h"

namespace trellis::gateway {
namespace {

using ::testing::ElementsAre;
using testing::FullPeer;
using ::testing::IsEmpty;
using testing::Key;
using testing::QuarantinedPeer;

DesiredPeer Desired(const v1::GatewayPeer& peer) {
  return *ToDesiredPeer(peer);
}

PeerSet Set(std::vector<v1::GatewayPeer> peers) {
  PeerSet set;
  for (const v1::GatewayPeer& peer : peers) {
    set[peer.public_key()] = Desired(peer);
  }
  return set;
}

wireguard::WgPeerState Actual(int n, std::vector<std::string> ips) {
  wireguard::WgPeerState peer;
  peer.public_key = Key(n);
  peer.allowed_ips = std::move(ips);
  return peer;
}

std::vector<PeerOp> Ops(const std::vector<PlannedChange>& plan) {
  std::vector<PeerOp> ops;
  for (const PlannedChange& c : plan) ops.push_back(c.op);
  return ops;
}

TEST(ReconcilerTest, RemovesUnknownAddsMissingFixesAllowedIps) {
  PeerSet desired = Set({FullPeer(1, "dev-1", {"10.200.0.1/32"}),
                         FullPeer(2, "dev-2", {"10.200.0.2/32"}),
                         FullPeer(3, "dev-3", {"10.200.0.3/32"})});
  std::vector<wireguard::WgPeerState> actual = {
      Actual(1, {"10.200.0.1/32"}),                // right
      Actual(2, {"10.200.0.2/32", "10.0.0.0/8"}),  // widened by hand
      Actual(9, {"10.200.0.9/32"}),                // added by hand
  };
  std::vector<PlannedChange> plan = ReconcileAll(desired, actual);
  EXPECT_THAT(Ops(plan), ElementsAre(PeerOp::Remove(Key(9)),
                                     PeerOp::Set(Key(2), {"10.200.0.2/32"}),
                                     PeerOp::Set(Key(3), {"10.200.0.3/32"})));
  EXPECT_EQ(plan[0].verb, PlannedChange::Verb::kRemove);
  EXPECT_EQ(plan[0].device_id, "");
  EXPECT_EQ(plan[1].verb, PlannedChange::Verb::kUpdate);
  EXPECT_EQ(plan[2].verb, PlannedChange::Verb::kAdd);
  EXPECT_EQ(plan[2].device_id, "dev-3");
}

TEST(ReconcilerTest, InSyncMeansNoOps) {
  PeerSet desired =
      Set({FullPeer(1, "dev-1", {"10.200.0.1/32", "fd00::1/128"})});
  // wg's order differs from the sorted desired order: still equal.
  EXPECT_THAT(
      ReconcileAll(desired, {Actual(1, {"fd00::1/128", "10.200.0.1/32"})}),
      IsEmpty());
  EXPECT_THAT(ReconcileAll({}, {}), IsEmpty());
}

TEST(ReconcilerTest, EmptyDesiredRemovesEverything) {
  EXPECT_THAT(Ops(ReconcileAll({}, {Actual(1, {}), Actual(2, {})})),
              ElementsAre(PeerOp::Remove(Key(1)), PeerOp::Remove(Key(2))));
}

TEST(ReconcilerTest, QuarantinedPeersStayPeers) {
  PeerSet desired =
      Set({QuarantinedPeer(1, "dev-1", {"10.200.0.1/32"}, {"10.1.0.0/16"})});
  EXPECT_THAT(Ops(ReconcileAll(desired, {})),
              ElementsAre(PeerOp::Set(Key(1), {"10.200.0.1/32"})));
}

TEST(ReconcilerTest, PlanChangesRemovalsFirstAndAccessOnlyNeedsNoOp) {
  DesiredPeer one = Desired(FullPeer(1, "dev-1", {"10.200.0.1/32"}));
  DesiredPeer one_quarantined =
      Desired(QuarantinedPeer(1, "dev-1", {"10.200.0.1/32"}, {"10.1.0.0/16"}));
  DesiredPeer two = Desired(FullPeer(2, "dev-2", {"10.200.0.2/32"}));
  DesiredPeer two_moved = Desired(FullPeer(2, "dev-2", {"10.200.0.20/32"}));
  DesiredPeer three = Desired(FullPeer(3, "dev-3", {"10.200.0.3/32"}));
  std::vector<PeerChange> changes = {
      {Key(1), one, one_quarantined},  // access only
      {Key(2), two, two_moved},
      {Key(3), three, std::nullopt},
      {Key(4), std::nullopt, Desired(FullPeer(4, "dev-4", {"10.200.0.4"}))},
  };
  std::vector<PlannedChange> plan = PlanChanges(changes);
  EXPECT_THAT(Ops(plan), ElementsAre(PeerOp::Remove(Key(3)),
                                     PeerOp::Set(Key(2), {"10.200.0.20/32"}),
                                     PeerOp::Set(Key(4), {"10.200.0.4/32"})));
  EXPECT_EQ(plan[0].device_id, "dev-3");
  EXPECT_EQ(plan[1].verb, PlannedChange::Verb::kUpdate);
  EXPECT_EQ(plan[2].verb, PlannedChange::Verb::kAdd);
  EXPECT_THAT(RemovalOps(plan), ElementsAre(PeerOp::Remove(Key(3))));
  EXPECT_EQ(SetOps(plan).size(), 2u);
}

TEST(ReconcilerTest, Describe) {
  EXPECT_EQ(DescribeChange({PlannedChange::Verb::kRemove,
                            PeerOp::Remove(Key(1)), "dev-1"}),
            "removed peer " + Key(1) + " (device dev-1)");
  EXPECT_EQ(DescribeChange(
                {PlannedChange::Verb::kRemove, PeerOp::Remove(Key(1)), ""}),
            "removed peer " + Key(1) + " (not allowed by the server)");
  EXPECT_EQ(
      DescribeChange({PlannedChange::Verb::kAdd,
                      PeerOp::Set(Key(2), {"10.200.0.2/32"}), "dev-2"}),
      "added peer " + Key(2) + " (device dev-2): allowed-ips 10.200.0.2/32");
}

}  // namespace
}  // namespace trellis::gateway
