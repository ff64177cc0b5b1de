#include "gateway/sync/peer_applier.h"

#include "absl/strings/str_join.h"
#include "common/util/files.h"
#include "gateway/wireguard/fake_wireguard_interface.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/testing/peer_messages.h"
#include "tests/testing/temp_dir.h"

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

// Records, in one timeline, what reaches WireGuard and nft, so the order of
// removals, firewall and additions can be checked.
struct Timeline {
  std::vector<std::string> events;
};

class RecordingInterface : public FakeWireGuardInterface {
 public:
  explicit RecordingInterface(Timeline* timeline) : timeline_(timeline) {}
  absl::Status Apply(const std::vector<PeerOp>& ops) override {
    std::vector<std::string> parts;
    for (const PeerOp& op : ops) {
      parts.push_back(
          absl::StrCat(op.kind == PeerOp::Kind::kRemove ? "remove " : "set ",
                       op.public_key == Key(1)   ? "1"
                       : op.public_key == Key(2) ? "2"
                       : op.public_key == Key(3) ? "3"
                                                 : "?"));
    }
    timeline_->events.push_back("wg " + absl::StrJoin(parts, ", "));
    return FakeWireGuardInterface::Apply(ops);
  }

 private:
  Timeline* timeline_;
};

class RecordingRunner : public CommandRunner {
 public:
  RecordingRunner(Timeline* timeline, bool nft_installed)
      : timeline_(timeline), nft_installed_(nft_installed) {}
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    absl::Duration) override {
    if (!nft_installed_) return absl::NotFoundError("nft is not installed");
    absl::StatusOr<std::string> rules = ReadFile(argv.back());
    bool removal = rules.ok() && rules->find("{") == std::string::npos;
    timeline_->events.push_back(removal ? "nft remove table" : "nft load");
    return CommandResult{};
  }

 private:
  Timeline* timeline_;
  bool nft_installed_;
};

class PeerApplierTest : public ::testing::Test {
 protected:
  explicit PeerApplierTest(bool nft_installed = true)
      : interface_(&timeline_),
        runner_(&timeline_, nft_installed),
        firewall_("wg0", &runner_, temp_.File("nft")),
        applier_(&interface_, &firewall_, &clock_, absl::Minutes(1)) {}

  // Synced at serial 1 with peer 1 (full access); the timeline is empty.
  void StartWithPeer1() {
    ASSERT_TRUE(
        applier_
            .Apply(Snapshot("F", 1, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}))
            .ok());
    timeline_.events.clear();
  }

  trellis::testing::TempDir temp_;
  Timeline timeline_;
  RecordingInterface interface_;
  RecordingRunner runner_;
  QuarantineFirewall firewall_;
  FakeClock clock_;
  PeerApplier applier_;
};

TEST_F(PeerApplierTest, SnapshotReconcilesWholeInterface) {
  interface_.AddPeer(Key(3), {"10.200.0.3/32"});  // not allowed
  ASSERT_TRUE(applier_
                  .Apply(Snapshot("F", 5,
                                  {FullPeer(1, "dev-1", {"10.200.0.1/32"}),
                                   FullPeer(2, "dev-2", {"10.200.0.2/32"})}))
                  .ok());
  EXPECT_THAT(timeline_.events, ElementsAre("wg remove 3", "nft remove table",
                                            "wg set 1, set 2"));
  EXPECT_EQ(interface_.list_calls(), 1);
}

TEST_F(PeerApplierTest, DeltaTouchesOnlyNamedPeers) {
  ASSERT_TRUE(applier_
                  .Apply(Snapshot("F", 5,
                                  {FullPeer(1, "dev-1", {"10.200.0.1/32"}),
                                   FullPeer(2, "dev-2", {"10.200.0.2/32"})}))
                  .ok());
  timeline_.events.clear();
  interface_.AddPeer(Key(3), {"10.200.0.3/32"});  // fixed only by a reconcile
  ASSERT_TRUE(applier_.Apply(Delta("F", 6, {RemovedPeer(1, "dev-1")})).ok());
  EXPECT_THAT(timeline_.events, ElementsAre("wg remove 1"));
  EXPECT_EQ(interface_.list_calls(), 1);
  EXPECT_EQ(interface_.peers().count(Key(3)), 1u);
}

// A quarantined peer is never on the interface without its restrictions,
// and a removed quarantined peer keeps them until it is gone.
TEST_F(PeerApplierTest, QuarantineOrdering) {
  ASSERT_TRUE(applier_.Apply(Snapshot("F", 1, {})).ok());
  timeline_.events.clear();
  ASSERT_TRUE(applier_
                  .Apply(Delta("F", 2,
                               {QuarantinedPeer(1, "dev-1", {"10.200.0.1/32"},
                                                {"10.1.0.0/16"})}))
                  .ok());
  EXPECT_THAT(timeline_.events, ElementsAre("nft load", "wg set 1"));
  EXPECT_THAT(*ReadFile(firewall_.rules_path()),
              HasSubstr("10.200.0.1/32 . 10.1.0.0/16"));

  timeline_.events.clear();
  ASSERT_TRUE(applier_.Apply(Delta("F", 3, {RemovedPeer(1, "dev-1")})).ok());
  EXPECT_THAT(timeline_.events, ElementsAre("wg remove 1", "nft remove table"));
}

// Removing a WireGuard peer ends its session, and a re-added peer carries
// no traffic for ~15 s. A delta that removes a peer and adds it back the
// same must leave the interface alone; one that re-adds it with another
// address only updates its allowed-ips.
TEST_F(PeerApplierTest, RemoveAndReAddInOneDeltaNeverRemovesThePeer) {
  StartWithPeer1();
  ASSERT_TRUE(applier_
                  .Apply(Delta("F", 2,
                               {RemovedPeer(1, "dev-1"),
                                FullPeer(1, "dev-1", {"10.200.0.1/32"})}))
                  .ok());
  EXPECT_THAT(timeline_.events, IsEmpty());

  ASSERT_TRUE(applier_
                  .Apply(Delta("F", 3,
                               {RemovedPeer(1, "dev-1"),
                                FullPeer(1, "dev-1", {"10.200.0.5/32"})}))
                  .ok());
  EXPECT_THAT(timeline_.events, ElementsAre("wg set 1"));
  EXPECT_THAT(interface_.peers().at(Key(1)), ElementsAre("10.200.0.5/32"));
}

TEST_F(PeerApplierTest, AccessChangeAloneReloadsOnlyFirewall) {
  StartWithPeer1();
  ASSERT_TRUE(applier_
                  .Apply(Delta("F", 2,
                               {QuarantinedPeer(1, "dev-1", {"10.200.0.1/32"},
                                                {"10.9.0.0/16"})}))
                  .ok());
  EXPECT_THAT(timeline_.events, ElementsAre("nft load"));
  timeline_.events.clear();
  // Unchanged quarantine set: nft is not run again.
  ASSERT_TRUE(
      applier_.Apply(Delta("F", 3, {FullPeer(2, "dev-2", {"10.200.0.2"})}))
          .ok());
  EXPECT_THAT(timeline_.events, ElementsAre("wg set 2"));
}

TEST_F(PeerApplierTest, PeriodicReconcileOnHeartbeat) {
  ASSERT_TRUE(
      applier_
          .Apply(Snapshot("F", 1, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}))
          .ok());
  interface_.AddPeer(Key(3), {"10.200.0.3/32"});  // added by hand later
  ASSERT_TRUE(applier_.Apply(Heartbeat("F", 1)).ok());
  EXPECT_EQ(interface_.peers().count(Key(3)), 1u);  // not yet due
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(applier_.Apply(Heartbeat("F", 1)).ok());
  EXPECT_EQ(interface_.peers().count(Key(3)), 0u);
  EXPECT_EQ(interface_.list_calls(), 2);
}

TEST_F(PeerApplierTest, OutOfOrderForgetsPosition) {
  ASSERT_TRUE(applier_.Apply(Snapshot("F", 5, {})).ok());
  EXPECT_TRUE(applier_.table().resumable());
  absl::Status refused = applier_.Apply(Delta("F", 5, {}));
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(applier_.table().resumable());
}

TEST_F(PeerApplierTest, WireGuardFailureForgetsPosition) {
  ASSERT_TRUE(applier_.Apply(Snapshot("F", 5, {})).ok());
  interface_.FailNextApply(absl::UnavailableError("wg set wg0 failed"));
  absl::Status failed =
      applier_.Apply(Delta("F", 6, {FullPeer(1, "dev-1", {"10.200.0.1"})}));
  EXPECT_THAT(failed.message(),
              HasSubstr("applying serial 6 to the interface failed: wg set "
                        "wg0 failed"));
  EXPECT_FALSE(applier_.table().resumable());
  EXPECT_THAT(interface_.peers(), IsEmpty());
}

class PeerApplierWithoutNftTest : public PeerApplierTest {
 protected:
  PeerApplierWithoutNftTest() : PeerApplierTest(false) {}
};

TEST_F(PeerApplierWithoutNftTest, WireGuardStillFollowsTheServer) {
  ASSERT_TRUE(
      applier_
          .Apply(Snapshot("F", 1,
                          {QuarantinedPeer(1, "dev-1", {"10.200.0.1/32"}, {})}))
          .ok());
  EXPECT_EQ(interface_.peers().count(Key(1)), 1u);
  ASSERT_TRUE(applier_.Apply(Delta("F", 2, {RemovedPeer(1, "dev-1")})).ok());
  EXPECT_THAT(interface_.peers(), IsEmpty());
}

}  // namespace
}  // namespace trellis::gateway
