#include "gateway/sync/peer_watcher.h"

#include <memory>
#include <thread>

#include "gateway/rpc/gateway_channel.h"
#include "gateway/wireguard/fake_wireguard_interface.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/testing/fake_gateway_server.h"
#include "tests/gateway/testing/peer_messages.h"

namespace trellis::gateway {
namespace {

using testing::Delta;
using ::testing::ElementsAre;
using testing::FakeGatewayServer;
using testing::FullPeer;
using testing::Heartbeat;
using testing::Key;
using ::testing::Pair;
using testing::RemovedPeer;
using testing::Snapshot;
using ::testing::UnorderedElementsAre;

using PeerMap = FakeWireGuardInterface::PeerMap;

// Generous: only reached when something is broken.
constexpr absl::Duration kWait = absl::Seconds(10);

class PeerWatcherTest : public ::testing::Test {
 protected:
  PeerWatcherTest() : server_(std::make_unique<FakeGatewayServer>()) {
    options_.initial_backoff = absl::Milliseconds(10);
    options_.max_backoff = absl::Milliseconds(50);
    options_.idle_timeout = absl::Seconds(5);
  }
  ~PeerWatcherTest() override { StopWatcher(); }

  void StartWatcher() {
    watcher_ = std::make_unique<PeerWatcher>(server_->Channel(), &interface_,
                                             nullptr, options_);
    thread_ = std::thread([this] { watcher_->Run(); });
  }
  void StopWatcher() {
    if (!watcher_) return;
    watcher_->Stop();
    thread_.join();
    watcher_.reset();
  }
  testing::ScriptedGatewayService& service() { return server_->service(); }

  // The status is published just after the interface is updated, so a test
  // that saw the interface change may still have to wait a moment for it.
  bool WaitForSerial(uint64_t serial) {
    absl::Time deadline = absl::Now() + kWait;
    while (watcher_->status().serial != serial) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(1));
    }
    return true;
  }

  bool WaitForPeers(std::function<bool(const PeerMap&)> done) {
    return interface_.WaitUntil(done, kWait);
  }
  bool WaitForKeys(std::vector<std::string> keys) {
    std::sort(keys.begin(), keys.end());
    return WaitForPeers([&](const PeerMap& peers) {
      std::vector<std::string> have;
      for (const auto& [key, ips] : peers) have.push_back(key);
      return have == keys;
    });
  }

  std::unique_ptr<FakeGatewayServer> server_;
  FakeWireGuardInterface interface_;
  PeerWatcherOptions options_;
  std::unique_ptr<PeerWatcher> watcher_;
  std::thread thread_;
};

TEST_F(PeerWatcherTest, SnapshotThenDeltasReachTheInterface) {
  service().Send(
      Snapshot("F", 5, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}, false));
  service().Send(Snapshot("F", 5, {FullPeer(2, "dev-2", {"10.200.0.2/32"})}));
  StartWatcher();
  ASSERT_TRUE(WaitForKeys({Key(1), Key(2)}));
  // The two chunks were applied together, as one batch.
  EXPECT_EQ(interface_.batches().size(), 1u);

  service().Send(Delta("F", 6, {RemovedPeer(1, "dev-1")}));
  ASSERT_TRUE(WaitForKeys({Key(2)}));
  service().Send(Heartbeat("F", 6));
  service().Send(Delta("F", 7, {FullPeer(3, "dev-3", {"10.200.0.3"})}));
  ASSERT_TRUE(WaitForKeys({Key(2), Key(3)}));
  EXPECT_THAT(interface_.peers(),
              UnorderedElementsAre(Pair(Key(2), ElementsAre("10.200.0.2/32")),
                                   Pair(Key(3), ElementsAre("10.200.0.3/32"))));
  ASSERT_TRUE(WaitForSerial(7));
  PeerWatcherStatus status = watcher_->status();
  EXPECT_TRUE(status.synced);
  EXPECT_EQ(status.feed_id, "F");
  EXPECT_EQ(status.serial, 7u);
  EXPECT_EQ(status.peers_allowed, 2u);
  // A delta is applied without re-reading the interface.
  EXPECT_EQ(interface_.list_calls(), 1);
  // The first call asked for a snapshot.
  EXPECT_EQ(service().requests()[0].feed_id(), "");
  EXPECT_EQ(service().requests()[0].after_serial(), 0u);
}

TEST_F(PeerWatcherTest, StartRemovesPeersTheServerDoesNotAllow) {
  interface_.AddPeer(Key(9), {"10.200.0.9/32"});  // added by hand
  interface_.AddPeer(Key(1), {"10.0.0.0/8"});     // widened by hand
  service().Send(Snapshot("F", 1, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}));
  StartWatcher();
  ASSERT_TRUE(WaitForPeers([](const PeerMap& peers) {
    return peers.size() == 1 && peers.count(Key(1)) &&
           peers.at(Key(1)) == std::vector<std::string>{"10.200.0.1/32"};
  }));
}

TEST_F(PeerWatcherTest, StreamEndResumesFromLastSerial) {
  service().Send(Snapshot("F", 5, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}));
  service().Send(Delta("F", 6, {FullPeer(2, "dev-2", {"10.200.0.2/32"})}));
  service().End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "going away"));
  StartWatcher();
  ASSERT_TRUE(service().WaitForCalls(2, kWait));
  std::vector<v1::WatchPeersRequest> requests = service().requests();
  EXPECT_EQ(requests[1].feed_id(), "F");
  EXPECT_EQ(requests[1].after_serial(), 6u);

  // The resumed stream carries only what came after: applied exactly once.
  service().Send(Delta("F", 7, {RemovedPeer(1, "dev-1")}));
  ASSERT_TRUE(WaitForKeys({Key(2)}));
  size_t batches = interface_.batches().size();
  service().Send(Heartbeat("F", 7));
  service().End();
  ASSERT_TRUE(service().WaitForCalls(3, kWait));
  EXPECT_EQ(service().requests()[2].after_serial(), 7u);
  EXPECT_EQ(interface_.batches().size(), batches);
}

TEST_F(PeerWatcherTest, SurvivesServerRestart) {
  service().Send(Snapshot("F", 5, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}));
  StartWatcher();
  ASSERT_TRUE(WaitForKeys({Key(1)}));
  int port = server_->port();
  server_->Shutdown();
  // A new server process on the same address.
  server_ = std::make_unique<FakeGatewayServer>(port);
  ASSERT_EQ(server_->port(), port);
  service().Send(Delta("F", 6, {FullPeer(2, "dev-2", {"10.200.0.2/32"})}));
  ASSERT_TRUE(WaitForKeys({Key(1), Key(2)}));
  ASSERT_GE(service().requests().size(), 1u);
  EXPECT_EQ(service().requests()[0].feed_id(), "F");
  EXPECT_EQ(service().requests()[0].after_serial(), 5u);
}

// The server stays down across several failed attempts. The channel must
// keep connecting in the background, so the gateway is back soon after the
// server is, not only when gRPC's 5 s backup poller happens to run.
TEST_F(PeerWatcherTest, ReconnectsPromptlyAfterLongerOutage) {
  service().Send(Snapshot("F", 5, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}));
  StartWatcher();
  ASSERT_TRUE(WaitForKeys({Key(1)}));
  int port = server_->port();
  server_->Shutdown();
  absl::SleepFor(absl::Milliseconds(800));
  server_ = std::make_unique<FakeGatewayServer>(port);
  ASSERT_EQ(server_->port(), port);
  absl::Time back = absl::Now();
  service().Send(Delta("F", 6, {RemovedPeer(1, "dev-1")}));
  ASSERT_TRUE(WaitForKeys({}));
  EXPECT_LT(absl::Now() - back, absl::Seconds(3));
}

// The same over mutual TLS with the gateway's real channel: a TLS handshake
// needs its socket polled while it runs, which nothing does between calls
// unless the watcher sees to it.
TEST(PeerWatcherTlsTest, MutualTlsSurvivesOutage) {
  testing::TestPki pki = testing::TestPki::Create();
  auto server = std::make_unique<FakeGatewayServer>(0, &pki);
  int port = server->port();
  FakeWireGuardInterface interface;
  // The production backoff (200 ms doubling to 5 s): the channel must
  // reconnect while the watcher waits, not only when it next tries.
  PeerWatcher watcher(MakeGatewayChannel(server->address(), pki.gateway),
                      &interface, nullptr);
  std::thread thread([&] { watcher.Run(); });
  server->service().Send(
      Snapshot("F", 5, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}));
  EXPECT_TRUE(interface.WaitUntil(
      [](const PeerMap& peers) { return peers.size() == 1; }, kWait));

  server->Shutdown();
  absl::SleepFor(absl::Milliseconds(1500));
  server = std::make_unique<FakeGatewayServer>(port, &pki);
  absl::Time back = absl::Now();
  server->service().Send(Delta("F", 6, {RemovedPeer(1, "dev-1")}));
  EXPECT_TRUE(interface.WaitUntil(
      [](const PeerMap& peers) { return peers.empty(); }, kWait));
  EXPECT_LT(absl::Now() - back, absl::Seconds(3));
  ASSERT_GE(server->service().requests().size(), 1u);
  EXPECT_EQ(server->service().requests()[0].after_serial(), 5u);
  watcher.Stop();
  thread.join();
}

TEST_F(PeerWatcherTest, SilentStreamIsAbandonedAndResumed) {
  options_.idle_timeout = absl::Milliseconds(300);
  service().Send(Snapshot("F", 5, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}));
  StartWatcher();
  // No heartbeat follows: the watcher gives up on the call and resumes.
  ASSERT_TRUE(service().WaitForCalls(2, kWait));
  EXPECT_EQ(service().requests()[1].feed_id(), "F");
  EXPECT_EQ(service().requests()[1].after_serial(), 5u);
  EXPECT_GE(watcher_->status().streams_started, 2);
}

TEST_F(PeerWatcherTest, OutOfOrderMessageRestartsFromSnapshot) {
  service().Send(Snapshot("F", 5, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}));
  service().Send(Delta("F", 4, {RemovedPeer(1, "dev-1")}));  // backwards
  StartWatcher();
  ASSERT_TRUE(service().WaitForCalls(2, kWait));
  EXPECT_EQ(service().requests()[1].feed_id(), "");
  EXPECT_EQ(service().requests()[1].after_serial(), 0u);
  // The backwards delta was not applied.
  EXPECT_THAT(interface_.peers(), ElementsAre(Pair(Key(1), ::testing::_)));
  service().Send(Snapshot("F", 8, {FullPeer(2, "dev-2", {"10.200.0.2/32"})}));
  ASSERT_TRUE(WaitForKeys({Key(2)}));
}

TEST_F(PeerWatcherTest, InterfaceFailureRestartsFromSnapshot) {
  service().Send(Snapshot("F", 5, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}));
  StartWatcher();
  ASSERT_TRUE(WaitForKeys({Key(1)}));
  interface_.FailNextApply(absl::UnavailableError("wg set failed"));
  service().Send(Delta("F", 6, {FullPeer(2, "dev-2", {"10.200.0.2/32"})}));
  ASSERT_TRUE(service().WaitForCalls(2, kWait));
  EXPECT_EQ(service().requests()[1].feed_id(), "");
  service().Send(Snapshot("F", 6,
                          {FullPeer(1, "dev-1", {"10.200.0.1/32"}),
                           FullPeer(2, "dev-2", {"10.200.0.2/32"})}));
  ASSERT_TRUE(WaitForKeys({Key(1), Key(2)}));
}

TEST_F(PeerWatcherTest, BadPeersAreSkippedNotFatal) {
  v1::GatewayPeer bad_key = FullPeer(3, "dev-3", {"10.200.0.3/32"});
  bad_key.set_public_key("!!");
  service().Send(Snapshot("F", 5,
                          {FullPeer(1, "dev-1", {"10.200.0.1/32"}), bad_key,
                           FullPeer(2, "dev-2", {"10.200.0.2/33"})}));
  service().Send(Delta("F", 6, {FullPeer(4, "dev-4", {"10.200.0.4/32"})}));
  StartWatcher();
  ASSERT_TRUE(WaitForKeys({Key(1), Key(4)}));
  EXPECT_EQ(service().requests().size(), 1u);
}

TEST_F(PeerWatcherTest, RefusedCallsAreRetriedWithBackoff) {
  service().End(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "role"));
  service().End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "busy"));
  service().Send(Snapshot("F", 1, {FullPeer(1, "dev-1", {"10.200.0.1/32"})}));
  StartWatcher();
  ASSERT_TRUE(WaitForKeys({Key(1)}));
  EXPECT_EQ(service().requests().size(), 3u);
}

TEST_F(PeerWatcherTest, StopEndsAnOpenStreamPromptly) {
  service().Send(Snapshot("F", 1, {}));
  StartWatcher();
  ASSERT_TRUE(service().WaitForCalls(1, kWait));
  absl::Time start = absl::Now();
  StopWatcher();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST(PeerWatcherNoServerTest, StopWhileServerUnreachable) {
  FakeWireGuardInterface interface;
  PeerWatcherOptions options;
  options.initial_backoff = absl::Milliseconds(5);
  options.max_backoff = absl::Milliseconds(20);
  // Port 1 on loopback: nothing listens, connections are refused.
  PeerWatcher watcher(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()),
      &interface, nullptr, options);
  std::thread thread([&] { watcher.Run(); });
  absl::SleepFor(absl::Milliseconds(100));
  watcher.Stop();
  thread.join();
  EXPECT_GE(watcher.status().streams_started, 2);
  EXPECT_FALSE(watcher.status().synced);
}

}  // namespace
}  // namespace trellis::gateway
