// The store tells its listeners what each commit changed, and only what was
// committed: a write function that fails adds nothing.
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/crypto/digest.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

const absl::Time kT0 = absl::FromUnixSeconds(1767225600);

DeviceRecord Device(const std::string& id) {
  DeviceRecord d;
  d.device_id = id;
  d.key_hash = crypto::Sha256(id);
  d.hostname = id;
  d.hardware_serial = "SN-" + id;
  d.platform = v1::PLATFORM_LINUX;
  d.ownership = v1::OWNERSHIP_CORPORATE;
  d.enrolled_at = kT0;
  d.cert_expires_at = kT0 + absl::Hours(24);
  return d;
}

class CommitEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open({temp_.File("trellis.db")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    store_->AddCommitListener([this](const CommitEvents& events) {
      absl::MutexLock lock(&mu_);
      seen_.push_back(events);
    });
  }

  std::vector<CommitEvents> Seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }

  testing::TempDir temp_;
  absl::Mutex mu_;
  std::vector<CommitEvents> seen_ ABSL_GUARDED_BY(mu_);
  // Last, so it stops (and stops calling the listener) first.
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(CommitEventsTest, DeviceWritesNameTheDeviceAndItsState) {
  ASSERT_TRUE(store_
                  ->WriteSync([](StoreWriter& w) {
                    return w.InsertDevice(Device("dev-a"));
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->WriteSync([](StoreWriter& w) {
                    DeviceRecord d = Device("dev-a");
                    d.state = v1::DEVICE_STATE_REVOKED;
                    return w.UpdateDevice(d);
                  })
                  .ok());
  std::vector<CommitEvents> seen = Seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_THAT(seen[0].devices,
              ElementsAre(Pair("dev-a", v1::DEVICE_STATE_ACTIVE)));
  EXPECT_THAT(seen[1].devices,
              ElementsAre(Pair("dev-a", v1::DEVICE_STATE_REVOKED)));
  EXPECT_EQ(seen[1].bundle_version, 0u);
  EXPECT_EQ(seen[1].last_peer_serial, 0u);
}

TEST_F(CommitEventsTest, AFailedWriteFunctionContributesNothing) {
  absl::Status s = store_->WriteSync([](StoreWriter& w) {
    absl::Status inserted = w.InsertDevice(Device("dev-b"));
    if (!inserted.ok()) return inserted;
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  // The insert was rolled back, so nothing the listeners act on changed.
  EXPECT_THAT(Seen(), IsEmpty());
}

TEST_F(CommitEventsTest, WritesThatChangeNothingPushedAreNotAnnounced) {
  ASSERT_TRUE(store_
                  ->WriteSync([](StoreWriter& w) {
                    TokenRecord t;
                    t.token_id = "abcdefghijk23";
                    t.secret_hash = crypto::Sha256("secret");
                    t.max_uses = 1;
                    t.created_at = kT0;
                    t.expires_at = kT0 + absl::Hours(1);
                    return w.InsertToken(t);
                  })
                  .ok());
  EXPECT_THAT(Seen(), IsEmpty());
}

TEST_F(CommitEventsTest, BundlesPeersAndOperatorsAreReported) {
  ASSERT_TRUE(store_
                  ->WriteSync([](StoreWriter& w) -> absl::Status {
                    PolicyBundleRecord b;
                    b.version = 7;
                    b.published_at = kT0;
                    b.published_by = "operator:alice";
                    b.signed_bundle = "x";
                    absl::Status s = w.InsertPolicyBundle(b);
                    if (!s.ok()) return s;
                    OperatorRecord op;
                    op.name = "alice";
                    op.role = v1::ROLE_ADMIN;
                    op.key_hash = crypto::Sha256("alice");
                    op.created_at = kT0;
                    op.cert_expires_at = kT0 + absl::Hours(1);
                    return w.UpsertOperator(op);
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->WriteSync([](StoreWriter& w) -> absl::Status {
                    absl::Status s = w.InsertDevice(Device("dev-c"));
                    if (!s.ok()) return s;
                    VpnPeerRecord peer;
                    peer.device_id = "dev-c";
                    peer.public_key = "key";
                    peer.access = v1::VPN_ACCESS_FULL;
                    peer.allowed_ips = "100.64.0.2/32";
                    peer.at = kT0;
                    auto first = w.AppendPeerChange(peer);
                    if (!first.ok()) return first.status();
                    auto second = w.AppendPeerChange(peer);
                    return second.status();
                  })
                  .ok());
  std::vector<CommitEvents> seen = Seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].bundle_version, 7u);
  EXPECT_THAT(seen[0].operators, ElementsAre("alice"));
  EXPECT_EQ(seen[1].last_peer_serial, 2u);
  EXPECT_FALSE(seen[1].peer_log_pruned);
}

TEST_F(CommitEventsTest, OneBatchMergesItsFunctionsEvents) {
  CommitEvents a;
  a.devices["dev-a"] = v1::DEVICE_STATE_ACTIVE;
  a.last_peer_serial = 9;
  CommitEvents b;
  b.devices["dev-a"] = v1::DEVICE_STATE_RETIRED;
  b.devices["dev-b"] = v1::DEVICE_STATE_ACTIVE;
  b.last_peer_serial = 4;
  b.bundle_version = 3;
  a.MergeFrom(b);
  EXPECT_THAT(a.devices, ElementsAre(Pair("dev-a", v1::DEVICE_STATE_RETIRED),
                                     Pair("dev-b", v1::DEVICE_STATE_ACTIVE)));
  EXPECT_EQ(a.last_peer_serial, 9u);
  EXPECT_EQ(a.bundle_version, 3u);
  EXPECT_TRUE(CommitEvents().empty());
  EXPECT_FALSE(a.empty());
}

}  // namespace
}  // namespace trellis::server
