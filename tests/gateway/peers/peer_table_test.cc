#include "gateway/peers/peer_table.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/testing/peer_messages.h"

namespace trellis::gateway {
namespace {

using testing::Delta;
using ::testing::ElementsAre;
using testing::FullPeer;
using ::testing::HasSubstr;
using testing::Heartbeat;
using ::testing::IsEmpty;
using testing::Key;
using testing::QuarantinedPeer;
using testing::RemovedPeer;
using testing::Snapshot;

std::vector<std::string> Keys(const PeerSet& peers) {
  std::vector<std::string> keys;
  for (const auto& [key, peer] : peers) keys.push_back(key);
  return keys;
}

// A table synced to feed "F" at serial 10 with peers 1 and 2.
PeerTable SyncedTable() {
  PeerTable table;
  absl::StatusOr<TableUpdate> update =
      table.Apply(Snapshot("F", 10,
                           {FullPeer(1, "dev-1", {"10.200.0.1/32"}),
                            FullPeer(2, "dev-2", {"10.200.0.2/32"})}));
  EXPECT_TRUE(update.ok()) << update.status();
  return table;
}

TEST(PeerTableTest, SnapshotChunksApplyOnlyWhenComplete) {
  PeerTable table;
  absl::StatusOr<TableUpdate> first = table.Apply(
      Snapshot("F", 7, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}, false));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->kind, TableUpdate::Kind::kNothing);
  EXPECT_THAT(table.peers(), IsEmpty());
  EXPECT_FALSE(table.resumable());

  // A heartbeat between chunks changes nothing.
  ASSERT_TRUE(table.Apply(Heartbeat("F", 7)).ok());

  absl::StatusOr<TableUpdate> last = table.Apply(Snapshot(
      "F", 7, {QuarantinedPeer(2, "dev-2", {"10.200.0.2/32"}, {})}, true));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->kind, TableUpdate::Kind::kSnapshot);
  EXPECT_EQ(last->serial, 7u);
  EXPECT_EQ(last->changes.size(), 2u);
  EXPECT_THAT(Keys(table.peers()), ElementsAre(Key(1), Key(2)));
  EXPECT_TRUE(table.resumable());
  EXPECT_EQ(table.feed_id(), "F");
  EXPECT_EQ(table.serial(), 7u);
}

TEST(PeerTableTest, SnapshotReplacesEverythingAndReportsDifferences) {
  PeerTable table = SyncedTable();
  absl::StatusOr<TableUpdate> update =
      table.Apply(Snapshot("F", 12,
                           {FullPeer(2, "dev-2", {"10.200.0.22/32"}),
                            FullPeer(3, "dev-3", {"10.200.0.3/32"})}));
  ASSERT_TRUE(update.ok());
  EXPECT_THAT(Keys(table.peers()), ElementsAre(Key(2), Key(3)));
  ASSERT_EQ(update->changes.size(), 3u);
  for (const PeerChange& change : update->changes) {
    if (change.public_key == Key(1)) {
      EXPECT_TRUE(change.before && !change.after);
    } else if (change.public_key == Key(2)) {
      EXPECT_TRUE(change.before && change.after);
    } else {
      EXPECT_TRUE(!change.before && change.after);
    }
  }
}

TEST(PeerTableTest, DeltaUpsertsAndRemoves) {
  PeerTable table = SyncedTable();
  absl::StatusOr<TableUpdate> update = table.Apply(
      Delta("F", 11,
            {RemovedPeer(1, "dev-1"), FullPeer(3, "dev-3", {"10.200.0.3/32"}),
             QuarantinedPeer(2, "dev-2", {"10.200.0.2/32"}, {"10.1.0.0/16"})}));
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->kind, TableUpdate::Kind::kDelta);
  EXPECT_EQ(update->serial, 11u);
  ASSERT_EQ(update->changes.size(), 3u);
  EXPECT_EQ(update->changes[0].public_key, Key(1));
  EXPECT_FALSE(update->changes[0].after.has_value());
  EXPECT_EQ(update->changes[0].device_id(), "dev-1");
  EXPECT_TRUE(update->changes[2].after->quarantined());
  EXPECT_THAT(Keys(table.peers()), ElementsAre(Key(2), Key(3)));
  EXPECT_EQ(table.serial(), 11u);
}

TEST(PeerTableTest, DeltaRestatingCurrentStateIsNoChange) {
  PeerTable table = SyncedTable();
  absl::StatusOr<TableUpdate> update = table.Apply(
      Delta("F", 11,
            {FullPeer(1, "dev-1", {"10.200.0.1"}), RemovedPeer(9, "dev-9")}));
  ASSERT_TRUE(update.ok());
  EXPECT_THAT(update->changes, IsEmpty());
  EXPECT_EQ(table.serial(), 11u);
}

// A timer removes a peer and the device's next check-in adds it back: when
// both reach the gateway in one delta, the net change is nothing.
TEST(PeerTableTest, RemovedAndReAddedUnchangedInOneDeltaIsNoChange) {
  PeerTable table = SyncedTable();
  absl::StatusOr<TableUpdate> update = table.Apply(Delta(
      "F", 12,
      {RemovedPeer(1, "dev-1"), FullPeer(1, "dev-1", {"10.200.0.1/32"})}));
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_THAT(update->changes, IsEmpty());
  EXPECT_THAT(Keys(table.peers()), ElementsAre(Key(1), Key(2)));
  EXPECT_EQ(table.serial(), 12u);
}

// Removed and re-added with another address: one change from the state
// before the delta to the state after it, never a removal.
TEST(PeerTableTest, RemovedAndReAddedChangedInOneDeltaIsOneChange) {
  PeerTable table = SyncedTable();
  absl::StatusOr<TableUpdate> update = table.Apply(Delta(
      "F", 12,
      {RemovedPeer(1, "dev-1"), FullPeer(3, "dev-3", {"10.200.0.3/32"}),
       FullPeer(1, "dev-1", {"10.200.0.9/32"}), RemovedPeer(3, "dev-3")}));
  ASSERT_TRUE(update.ok()) << update.status();
  ASSERT_EQ(update->changes.size(), 1u);
  const PeerChange& change = update->changes[0];
  EXPECT_EQ(change.public_key, Key(1));
  ASSERT_TRUE(change.before.has_value());
  ASSERT_TRUE(change.after.has_value());
  EXPECT_THAT(change.before->allowed_ips, ElementsAre("10.200.0.1/32"));
  EXPECT_THAT(change.after->allowed_ips, ElementsAre("10.200.0.9/32"));
}

TEST(PeerTableTest, RefusesSerialGoingBackwardsOrRepeating) {
  PeerTable table = SyncedTable();
  ASSERT_TRUE(table.Apply(Delta("F", 11, {RemovedPeer(1, "dev-1")})).ok());
  // What a resume that repeats a change would look like.
  absl::StatusOr<TableUpdate> repeated =
      table.Apply(Delta("F", 11, {RemovedPeer(1, "dev-1")}));
  EXPECT_EQ(repeated.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(repeated.status().message(), HasSubstr("already applied"));
  EXPECT_FALSE(table.Apply(Delta("F", 5, {})).ok());
  EXPECT_FALSE(table.Apply(Heartbeat("F", 10)).ok());
  EXPECT_FALSE(table.Apply(Snapshot("F", 9, {})).ok());
  // Refusals leave the table as it was.
  EXPECT_EQ(table.serial(), 11u);
  EXPECT_THAT(Keys(table.peers()), ElementsAre(Key(2)));
}

TEST(PeerTableTest, RefusesFeedChangeWithoutSnapshot) {
  PeerTable table = SyncedTable();
  absl::StatusOr<TableUpdate> delta = table.Apply(Delta("G", 11, {}));
  EXPECT_EQ(delta.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(delta.status().message(), HasSubstr("feed 'G'"));
  EXPECT_FALSE(table.Apply(Heartbeat("G", 11)).ok());
  // A snapshot of another feed (another server database) is the whole truth,
  // even at a lower serial.
  absl::StatusOr<TableUpdate> snapshot =
      table.Apply(Snapshot("G", 2, {FullPeer(5, "dev-5", {"10.200.0.5/32"})}));
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(table.feed_id(), "G");
  EXPECT_EQ(table.serial(), 2u);
  EXPECT_THAT(Keys(table.peers()), ElementsAre(Key(5)));
}

TEST(PeerTableTest, RefusesDeltaBeforeSnapshotOrInsideOne) {
  PeerTable table;
  EXPECT_THAT(table.Apply(Delta("F", 1, {})).status().message(),
              HasSubstr("before any snapshot"));
  ASSERT_TRUE(table.Apply(Snapshot("F", 3, {}, false)).ok());
  EXPECT_THAT(table.Apply(Delta("F", 4, {})).status().message(),
              HasSubstr("inside a snapshot"));
}

TEST(PeerTableTest, RefusesInconsistentSnapshotChunks) {
  PeerTable table;
  ASSERT_TRUE(table.Apply(Snapshot("F", 3, {}, false)).ok());
  EXPECT_FALSE(table.Apply(Snapshot("G", 3, {}, true)).ok());
  table.ForgetFeed();
  ASSERT_TRUE(table.Apply(Snapshot("F", 3, {}, false)).ok());
  EXPECT_FALSE(table.Apply(Snapshot("F", 2, {}, true)).ok());
}

TEST(PeerTableTest, HeartbeatAdvancesSerial) {
  PeerTable table = SyncedTable();
  absl::StatusOr<TableUpdate> beat = table.Apply(Heartbeat("F", 10));
  ASSERT_TRUE(beat.ok());
  EXPECT_EQ(beat->kind, TableUpdate::Kind::kNothing);
  ASSERT_TRUE(table.Apply(Heartbeat("F", 14)).ok());
  EXPECT_EQ(table.serial(), 14u);
  // Before any snapshot a heartbeat is just a sign of life.
  PeerTable fresh;
  EXPECT_TRUE(fresh.Apply(Heartbeat("X", 99)).ok());
  EXPECT_FALSE(fresh.resumable());
}

TEST(PeerTableTest, UnknownKindIsRefused) {
  PeerTable table = SyncedTable();
  v1::PeerUpdate update;
  update.set_feed_id("F");
  update.set_serial(11);
  EXPECT_FALSE(table.Apply(update).ok());
}

TEST(PeerTableTest, InvalidPeersAreLeftOutAndReported) {
  PeerTable table;
  v1::GatewayPeer bad_key = FullPeer(3, "dev-3", {"10.200.0.3/32"});
  bad_key.set_public_key("garbage");
  absl::StatusOr<TableUpdate> update = table.Apply(
      Snapshot("F", 1,
               {FullPeer(1, "dev-1", {"10.200.0.1/32"}), bad_key,
                FullPeer(2, "dev-2", {"not-an-ip"}), RemovedPeer(4, "dev-4")}));
  ASSERT_TRUE(update.ok());
  EXPECT_THAT(Keys(table.peers()), ElementsAre(Key(1)));
  ASSERT_EQ(update->rejected.size(), 2u);
  EXPECT_THAT(update->rejected[0].message(), HasSubstr("dev-3"));
  EXPECT_THAT(update->rejected[1].message(), HasSubstr("dev-2"));
}

// A peer that turns invalid loses what it had: the server no longer vouches
// for its old state.
TEST(PeerTableTest, InvalidDeltaPeerIsRemoved) {
  PeerTable table = SyncedTable();
  absl::StatusOr<TableUpdate> update =
      table.Apply(Delta("F", 11, {FullPeer(1, "dev-1", {"10.200.0.1/99"})}));
  ASSERT_TRUE(update.ok());
  ASSERT_EQ(update->rejected.size(), 1u);
  ASSERT_EQ(update->changes.size(), 1u);
  EXPECT_FALSE(update->changes[0].after.has_value());
  EXPECT_THAT(Keys(table.peers()), ElementsAre(Key(2)));
}

TEST(PeerTableTest, ForgetFeedKeepsPeersButNotPosition) {
  PeerTable table = SyncedTable();
  ASSERT_TRUE(table.Apply(Snapshot("F", 11, {}, false)).ok());
  table.ForgetFeed();
  EXPECT_FALSE(table.resumable());
  EXPECT_EQ(table.feed_id(), "");
  EXPECT_EQ(table.serial(), 0u);
  EXPECT_THAT(Keys(table.peers()), ElementsAre(Key(1), Key(2)));
  // A delta now needs a snapshot first; a new snapshot is accepted.
  EXPECT_FALSE(table.Apply(Delta("F", 12, {})).ok());
  ASSERT_TRUE(table.Apply(Snapshot("F", 12, {})).ok());
  EXPECT_THAT(table.peers(), IsEmpty());
}

}  // namespace
}  // namespace trellis::gateway
