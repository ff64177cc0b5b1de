#include "server/vpn/peer_feed.h"

#include <atomic>
#include <deque>
#include <optional>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/vpn/vpn_test_env.h"

namespace trellis::server {
namespace {

// A gateway stream as the feed sees it. Each delivered message is acked
// only when the test takes it, as a slow network would.
class FakeStream : public PeerSubscriber {
 public:
  FakeStream(PeerFeed* feed, const std::string& feed_id, uint64_t after)
      : feed_(feed) {
    handle_ = feed_->Subscribe(this, feed_id, after);
  }
  ~FakeStream() override { feed_->Unsubscribe(handle_); }

  bool Send(const v1::PeerUpdate& update) override {
    absl::MutexLock lock(&mu_);
    sent_.push_back(update);
    return true;
  }
  void End(const absl::Status& status) override {
    absl::MutexLock lock(&mu_);
    ended_ = status;
  }

  // The next message (acknowledged), or nullopt after `timeout`.
  std::optional<v1::PeerUpdate> Next(
      absl::Duration timeout = absl::Seconds(5)) {
    std::optional<v1::PeerUpdate> out;
    {
      absl::MutexLock lock(&mu_);
      if (!mu_.AwaitWithTimeout(
              absl::Condition(
                  +[](std::deque<v1::PeerUpdate>* q) { return !q->empty(); },
                  &sent_),
              timeout)) {
        return std::nullopt;
      }
      out = sent_.front();
      sent_.pop_front();
    }
    feed_->SendDone(handle_, true);
    return out;
  }

  // Skips heartbeats.
  std::optional<v1::PeerUpdate> NextChange() {
    while (auto u = Next()) {
      if (u->kind() != v1::PeerUpdate::KIND_HEARTBEAT) return u;
    }
    return std::nullopt;
  }

  absl::Status ended() {
    absl::MutexLock lock(&mu_);
    return ended_;
  }

 private:
  PeerFeed* feed_;
  std::shared_ptr<PeerFeed::Handle> handle_;
  absl::Mutex mu_;
  std::deque<v1::PeerUpdate> sent_ ABSL_GUARDED_BY(mu_);
  absl::Status ended_ ABSL_GUARDED_BY(mu_);
};

class PeerFeedTest : public ::testing::Test {
 protected:
  PeerFeedTest() : feed_(&env_.store(), absl::Milliseconds(200)) {
    env_.store().AddCommitListener(
        [this](const CommitEvents&) { feed_.Notify(); });
    feed_.Start();
  }
  ~PeerFeedTest() override { feed_.Stop(); }

  VpnTestEnv env_;
  PeerFeed feed_;
};

TEST_F(PeerFeedTest, SnapshotThenDeltasWithGrowingSerials) {
  DeviceRecord a = env_.AddDevice("dev-a");
  ASSERT_TRUE(env_.Save(a).ok());
  FakeStream stream(&feed_, "", 0);
  auto snap = stream.NextChange();
  ASSERT_TRUE(snap.has_value());
  EXPECT_EQ(snap->kind(), v1::PeerUpdate::KIND_SNAPSHOT);
  EXPECT_TRUE(snap->snapshot_complete());
  EXPECT_EQ(snap->serial(), 1u);
  EXPECT_EQ(snap->feed_id(), env_.Bounds().feed_id);
  ASSERT_EQ(snap->peers_size(), 1);
  EXPECT_EQ(snap->peers(0).public_key(), a.wireguard_public_key);
  EXPECT_THAT(snap->peers(0).allowed_ips(),
              ::testing::ElementsAre("10.200.0.2/32"));

  a.compliance_state = v1::COMPLIANCE_STATE_NONCOMPLIANT;
  ASSERT_TRUE(env_.Save(a).ok());
  auto delta = stream.NextChange();
  ASSERT_TRUE(delta.has_value());
  EXPECT_EQ(delta->kind(), v1::PeerUpdate::KIND_DELTA);
  EXPECT_EQ(delta->serial(), 2u);
  ASSERT_EQ(delta->peers_size(), 1);
  EXPECT_EQ(delta->peers(0).access(), v1::VPN_ACCESS_NONE);

  DeviceRecord b = env_.AddDevice("dev-b");
  ASSERT_TRUE(env_.Save(b).ok());
  delta = stream.NextChange();
  ASSERT_TRUE(delta.has_value());
  EXPECT_EQ(delta->serial(), 3u);
  EXPECT_EQ(delta->peers(0).device_id(), "dev-b");
}

TEST_F(PeerFeedTest, ResumeSendsOnlyWhatCameAfter) {
  DeviceRecord a = env_.AddDevice("dev-a");
  DeviceRecord b = env_.AddDevice("dev-b");
  ASSERT_TRUE(env_.Save(a).ok());  // serial 1
  ASSERT_TRUE(env_.Save(b).ok());  // serial 2
  a.compliance_state = v1::COMPLIANCE_STATE_STALE;
  ASSERT_TRUE(env_.Save(a).ok());  // serial 3
  std::string feed_id = env_.Bounds().feed_id;
  FakeStream stream(&feed_, feed_id, 1);
  auto delta = stream.NextChange();
  ASSERT_TRUE(delta.has_value());
  EXPECT_EQ(delta->kind(), v1::PeerUpdate::KIND_DELTA);
  EXPECT_EQ(delta->serial(), 3u);
  ASSERT_EQ(delta->peers_size(), 2);  // serial 2 and 3, in order
  EXPECT_EQ(delta->peers(0).device_id(), "dev-b");
  EXPECT_EQ(delta->peers(1).device_id(), "dev-a");
  EXPECT_EQ(delta->peers(1).access(), v1::VPN_ACCESS_NONE);
  // Up to date: only heartbeats follow.
  auto next = stream.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->kind(), v1::PeerUpdate::KIND_HEARTBEAT);
  EXPECT_EQ(next->serial(), 3u);
}

TEST_F(PeerFeedTest, ResumeAtTheLatestSerialSendsNothingButHeartbeats) {
  ASSERT_TRUE(env_.Save(env_.AddDevice("dev-a")).ok());
  FakeStream stream(&feed_, env_.Bounds().feed_id, 1);
  auto next = stream.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->kind(), v1::PeerUpdate::KIND_HEARTBEAT);
}

TEST_F(PeerFeedTest, AnotherDatabaseOrAFutureSerialGetsASnapshot) {
  ASSERT_TRUE(env_.Save(env_.AddDevice("dev-a")).ok());
  std::string feed_id = env_.Bounds().feed_id;
  FakeStream other(&feed_, "0123456789abcdef0123456789abcdef", 1);
  EXPECT_EQ(other.NextChange()->kind(), v1::PeerUpdate::KIND_SNAPSHOT);
  FakeStream ahead(&feed_, feed_id, 99);
  EXPECT_EQ(ahead.NextChange()->kind(), v1::PeerUpdate::KIND_SNAPSHOT);
}

TEST_F(PeerFeedTest, PrunedPastTheResumePointGetsASnapshot) {
  DeviceRecord a = env_.AddDevice("dev-a");
  ASSERT_TRUE(env_.Save(a).ok());
  a.compliance_state = v1::COMPLIANCE_STATE_STALE;
  ASSERT_TRUE(env_.Save(a).ok());
  a.compliance_state = v1::COMPLIANCE_STATE_COMPLIANT;
  ASSERT_TRUE(env_.Save(a).ok());
  ASSERT_TRUE(
      env_.store()
          .WriteSync([](StoreWriter& w) { return w.PrunePeerChanges(2); })
          .ok());
  FakeStream stream(&feed_, env_.Bounds().feed_id, 1);
  auto snap = stream.NextChange();
  ASSERT_TRUE(snap.has_value());
  EXPECT_EQ(snap->kind(), v1::PeerUpdate::KIND_SNAPSHOT);
  EXPECT_EQ(snap->serial(), 3u);
  EXPECT_EQ(snap->peers_size(), 1);
}

TEST_F(PeerFeedTest, LargeSnapshotsComeInChunks) {
  VpnTestEnv big("10.200.0.0/20");
  PeerFeed feed(&big.store(), absl::Seconds(5));
  feed.Start();
  for (int i = 0; i < PeerFeed::kChunk + 10; ++i) {
    DeviceRecord d = big.AddDevice(absl::StrCat("dev-", i));
    ASSERT_TRUE(big.Save(d).ok());
  }
  FakeStream stream(&feed, "", 0);
  auto first = stream.NextChange();
  auto second = stream.NextChange();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->peers_size(), PeerFeed::kChunk);
  EXPECT_FALSE(first->snapshot_complete());
  EXPECT_EQ(second->peers_size(), 10);
  EXPECT_TRUE(second->snapshot_complete());
  EXPECT_EQ(first->serial(), second->serial());
  feed.Stop();
}

TEST_F(PeerFeedTest, StopEndsEveryStream) {
  FakeStream stream(&feed_, "", 0);
  ASSERT_TRUE(stream.NextChange().has_value());
  feed_.Stop();
  EXPECT_TRUE(absl::IsUnavailable(stream.ended())) << stream.ended();
}

}  // namespace
}  // namespace trellis::server

namespace trellis::server {
namespace {

// A stream that only records how it ended.
class EndRecorder : public PeerSubscriber {
 public:
  bool Send(const v1::PeerUpdate&) override { return true; }
  void End(const absl::Status& status) override {
    absl::MutexLock lock(&mu_);
    ended_ = status;
  }
  std::optional<absl::Status> WaitForEnd(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(
        absl::Condition(
            +[](std::optional<absl::Status>* e) { return e->has_value(); },
            &ended_),
        timeout);
    return ended_;
  }

 private:
  absl::Mutex mu_;
  std::optional<absl::Status> ended_ ABSL_GUARDED_BY(mu_);
};

// The caller's credential is asked about on a timer; not being able to tell
// (store busy) keeps the stream, a refusal ends it with that status.
TEST(PeerFeedRecheckTest, RefusalEndsTheStreamUnknownDoesNot) {
  VpnTestEnv env;
  PeerFeed feed(&env.store(), absl::Seconds(5), absl::Milliseconds(20));
  feed.Start();
  std::atomic<int> calls{0};
  EndRecorder stream;
  auto handle = feed.Subscribe(&stream, "", 0, [&calls]() -> absl::Status {
    int n = ++calls;
    if (n <= 2) return absl::UnavailableError("database is locked");
    if (n == 3) return absl::OkStatus();
    return absl::UnauthenticatedError("the credential of gw-1 was replaced");
  });
  std::optional<absl::Status> ended = stream.WaitForEnd(absl::Seconds(10));
  ASSERT_TRUE(ended.has_value()) << "the stream was never ended";
  EXPECT_EQ(ended->code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ended->message(), "the credential of gw-1 was replaced");
  EXPECT_EQ(calls.load(), 4);
  feed.Unsubscribe(handle);
  feed.Stop();
}

TEST(PeerFeedRecheckTest, RecheckCallersNowDoesNotWaitForThePeriod) {
  VpnTestEnv env;
  // A period no test would wait for: only RecheckCallersNow can end it.
  PeerFeed feed(&env.store(), absl::Seconds(5), absl::Hours(1));
  feed.Start();
  std::atomic<bool> replaced{false};
  EndRecorder stream;
  auto handle = feed.Subscribe(&stream, "", 0, [&replaced]() -> absl::Status {
    if (!replaced) return absl::OkStatus();
    return absl::UnauthenticatedError("the credential of gw-1 was replaced");
  });
  EXPECT_FALSE(stream.WaitForEnd(absl::Milliseconds(300)).has_value());
  replaced = true;
  feed.RecheckCallersNow();
  std::optional<absl::Status> ended = stream.WaitForEnd(absl::Seconds(10));
  ASSERT_TRUE(ended.has_value()) << "the stream was never ended";
  EXPECT_EQ(ended->code(), absl::StatusCode::kUnauthenticated);
  feed.Unsubscribe(handle);
  feed.Stop();
}

}  // namespace
}  // namespace trellis::server
