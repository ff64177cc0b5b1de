// An open WatchPeers stream follows its gateway credential: replacing the
// credential (`trellis-server operator create` again with the same name) or
// taking the gateway role away ends the stream within the server's re-check
// period, with a status naming why. The server is real (port 0, mutual
// TLS); the stream is read with a plain gRPC client so its final status is
// seen exactly.
#include <functional>
#include <thread>

#include "absl/synchronization/notification.h"
#include "common/identity/operator_credentials.h"
#include "common/util/files.h"
#include "gateway/rpc/gateway_channel.h"
#include "gmock/gmock.h"
#include "tests/integration/integration_env.h"
#include "trellis/v1/gateway_service.grpc.pb.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;

constexpr absl::Duration kRecheck = absl::Milliseconds(200);
// Generous for a loaded machine, but far below the stream's natural life
// (it never ends by itself).
constexpr absl::Duration kEndWithin = absl::Seconds(10);

// One WatchPeers call read on its own thread until it ends.
class OpenStream {
 public:
  explicit OpenStream(const std::string& address,
                      const std::string& credentials_path) {
    auto creds = identity::ParseOperatorCredentials(
        ReadFile(credentials_path).value_or(""));
    EXPECT_TRUE(creds.ok()) << creds.status();
    stub_ = v1::GatewayService::NewStub(
        gateway::MakeGatewayChannel(address, *creds));
    thread_ = std::thread([this] {
      v1::WatchPeersRequest request;
      auto reader = stub_->WatchPeers(&context_, request);
      v1::PeerUpdate update;
      while (reader->Read(&update)) {
        if (!first_message_.HasBeenNotified()) first_message_.Notify();
      }
      status_ = reader->Finish();
      ended_at_ = absl::Now();
      ended_.Notify();
    });
  }
  ~OpenStream() {
    context_.TryCancel();
    thread_.join();
  }

  bool WaitForFirstMessage() {
    return first_message_.WaitForNotificationWithTimeout(absl::Seconds(10));
  }
  // True when the stream ended within `timeout`.
  bool WaitForEnd(absl::Duration timeout) {
    return ended_.WaitForNotificationWithTimeout(timeout);
  }
  bool ended() const { return ended_.HasBeenNotified(); }
  const grpc::Status& status() const { return status_; }
  absl::Time ended_at() const { return ended_at_; }

 private:
  std::unique_ptr<v1::GatewayService::Stub> stub_;
  grpc::ClientContext context_;
  absl::Notification first_message_;
  absl::Notification ended_;
  grpc::Status status_;
  absl::Time ended_at_;
  std::thread thread_;
};

class GatewayCredentialsTest : public IntegrationTest {
 protected:
  void SetUp() override {
    server::ServerConfig config = BaseConfig();
    config.gateway_recheck_period = kRecheck;
    StartServer(config);
  }
};

TEST_F(GatewayCredentialsTest, ReplacedCredentialEndsTheStream) {
  OpenStream stream(address(), CreateOperator("gw-1", "gateway"));
  ASSERT_TRUE(stream.WaitForFirstMessage()) << "no snapshot on the stream";
  // Several re-checks pass while the credential is unchanged.
  EXPECT_FALSE(stream.WaitForEnd(kRecheck * 4));

  absl::Time replaced_at = absl::Now();
  CreateOperator("gw-1", "gateway");  // new key; the old file stops working
  ASSERT_TRUE(stream.WaitForEnd(kEndWithin))
      << "the stream outlived its replaced credential";
  EXPECT_EQ(stream.status().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(stream.status().error_message(),
              HasSubstr("credential of operator gw-1 was replaced"));
  EXPECT_LT(stream.ended_at() - replaced_at, kEndWithin);
}

// The operator's record changed in the database (by hand, or a future
// tool) while the key stayed the same.
TEST_F(GatewayCredentialsTest, RoleTakenAwayOrExpiryEndsTheStream) {
  auto edit = [&](const std::string& name,
                  const std::function<void(server::OperatorRecord&)>& change) {
    ASSERT_TRUE(server_->store()
                    .WriteSync([&](server::StoreWriter& w) -> absl::Status {
                      auto op = w.GetOperator(name);
                      if (!op.ok()) return op.status();
                      change(**op);
                      return w.UpsertOperator(**op);
                    })
                    .ok());
  };
  OpenStream demoted(address(), CreateOperator("gw-2", "gateway"));
  OpenStream expired(address(), CreateOperator("gw-3", "gateway"));
  ASSERT_TRUE(demoted.WaitForFirstMessage());
  ASSERT_TRUE(expired.WaitForFirstMessage());

  edit("gw-2", [](server::OperatorRecord& op) { op.role = v1::ROLE_HELPDESK; });
  ASSERT_TRUE(demoted.WaitForEnd(kEndWithin));
  EXPECT_EQ(demoted.status().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(demoted.status().error_message(),
              HasSubstr("operator gw-2 now has role helpdesk"));
  EXPECT_FALSE(expired.ended());

  edit("gw-3", [&](server::OperatorRecord& op) {
    op.cert_expires_at = clock_.Now() - absl::Seconds(1);
  });
  ASSERT_TRUE(expired.WaitForEnd(kEndWithin));
  EXPECT_EQ(expired.status().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(expired.status().error_message(),
              HasSubstr("credential of operator gw-3 expired"));
}

// Other streams are left alone when one gateway's credential changes.
TEST_F(GatewayCredentialsTest, OnlyTheReplacedGatewaysStreamEnds) {
  OpenStream kept(address(), CreateOperator("gw-kept", "gateway"));
  OpenStream replaced(address(), CreateOperator("gw-old", "gateway"));
  ASSERT_TRUE(kept.WaitForFirstMessage());
  ASSERT_TRUE(replaced.WaitForFirstMessage());
  CreateOperator("gw-old", "gateway");
  ASSERT_TRUE(replaced.WaitForEnd(kEndWithin));
  EXPECT_FALSE(kept.WaitForEnd(kRecheck * 4));
}

}  // namespace
}  // namespace trellis::testing
