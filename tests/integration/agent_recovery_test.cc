// The agent against a real server when things go wrong on the device's side:
// an enrolment answer that never arrives, and a state directory that cannot
// be written. Neither may strand the device or stop the agent.
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/checkin/run_loop.h"
#include "agent/enroll/device_enrollment.h"
#include "agent/state/local_error.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "server/store/store.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;

// The real gRPC transport, but the first `lose` answers are dropped after
// the server has acted on the request.
class LossyTransport : public agent::EnrollTransport {
 public:
  explicit LossyTransport(int lose)
      : real_(agent::NewGrpcEnrollTransport()), lose_(lose) {}
  absl::StatusOr<std::string> FetchPinnedCa(const std::string& address,
                                            const std::string& fingerprint,
                                            absl::Duration timeout) override {
    return real_->FetchPinnedCa(address, fingerprint, timeout);
  }
  absl::StatusOr<v1::EnrollResponse> Enroll(const std::string& address,
                                            const std::string& ca_pem,
                                            const v1::EnrollRequest& request,
                                            absl::Duration timeout) override {
    auto answer = real_->Enroll(address, ca_pem, request, timeout);
    if (answer.ok() && lose_ > 0) {
      --lose_;
      return absl::UnavailableError("connection reset by peer");
    }
    return answer;
  }

 private:
  std::unique_ptr<agent::EnrollTransport> real_;
  int lose_;
};

class AgentRecoveryTest : public IntegrationTest {
 protected:
  void SetUp() override { StartServer(); }

  std::vector<server::DeviceRecord> Devices() {
    std::vector<server::DeviceRecord> out;
    EXPECT_TRUE(server_->store()
                    .Read([&](server::StoreReader& r) -> absl::Status {
                      auto d = r.ListDevices("", 1000);
                      if (!d.ok()) return d.status();
                      out = *d;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }
};

TEST_F(AgentRecoveryTest, EnrolmentWhoseAnswerWasLostCompletesOnTheSameToken) {
  const std::string token = CreateToken("staff", "corporate", /*uses=*/1);
  agent::AgentState state(dir_.File("agent-lost"));
  agent::EnrollOptions options;
  options.token = token;
  options.timeout = absl::Seconds(10);
  options.max_attempts = 1;
  LossyTransport lossy(/*lose=*/1);
  auto lost = agent::EnrollDevice(state, options, Machine("lost").probe, lossy);
  ASSERT_FALSE(lost.ok());
  // The server stored the device and spent the token.
  ASSERT_EQ(Devices().size(), 1u);
  const std::string device_id = Devices()[0].device_id;

  // `trellis-agent enroll` again, after the crash: same state dir and token.
  auto again = Enroll(token, "lost");
  ASSERT_TRUE(again.ok()) << again.status();
  auto record = again->LoadRecord();
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->device_id, device_id);
  ASSERT_EQ(Devices().size(), 1u);
  std::vector<server::TokenRecord> tokens;
  ASSERT_TRUE(server_->store()
                  .Read([&](server::StoreReader& r) -> absl::Status {
                    auto t = r.ListTokens();
                    if (!t.ok()) return t.status();
                    tokens = *t;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].uses, 1);

  auto checked_in = CheckIn(*again);
  ASSERT_TRUE(checked_in.ok()) << checked_in.status();

  // Another device with the spent token is still refused.
  auto stranger = Enroll(token, "stranger");
  EXPECT_EQ(stranger.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(AgentRecoveryTest, UnwritableStateNeverStopsTheAgentNorResendsANumber) {
  auto state = Enroll(CreateToken(), "readonly");
  ASSERT_TRUE(state.ok()) << state.status();
  auto first = CheckIn(*state);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->accepted_sequence(), 1u);

  bool writable = false;
  state->set_file_writer(
      [&](const std::string& path, const std::string& content, int mode) {
        if (writable) return WriteFileAtomic(path, content, mode);
        return absl::PermissionDeniedError(
            absl::StrCat("cannot create ", path, ".tmp: Permission denied"));
      });
  int sleeps = 0;
  agent::RunLoop loop(
      *state, &Machine("readonly").probe,
      [&](absl::Duration) {
        ++sleeps;
        return true;
      },
      [] { return 0.5; });
  agent::RunOptions options;
  options.rpc_timeout = absl::Seconds(10);
  options.use_vpn = false;
  options.max_attempts = 3;
  absl::Status s = loop.Run(options);
  // A local error each time, retried; never taken for a verdict.
  EXPECT_TRUE(agent::IsLocalError(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr(state->RecordPath()));
  EXPECT_EQ(sleeps, 2);
  // Nothing was sent with a number that could not be saved.
  ASSERT_EQ(Devices().size(), 1u);
  EXPECT_EQ(Devices()[0].last_sequence, 1u);

  // Writable again: the next check-in is new, not dropped as a duplicate.
  writable = true;
  auto next = CheckIn(*state);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_FALSE(next->duplicate());
  EXPECT_EQ(next->accepted_sequence(), 2u);
  EXPECT_EQ(Devices()[0].last_sequence, 2u);
}

}  // namespace
}  // namespace trellis::testing
