// The foundation's life cycle end to end: token -> enrol -> check-in ->
// listed -> revoke -> refused, plus the token, clone, pinning and restart
// cases around it.
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "agent/checkin/run_loop.h"
#include "agent/renewal/certificate_renewal.h"
#include "common/crypto/digest.h"
#include "common/crypto/pki.h"
#include "common/enrollment/token.h"
#include "gmock/gmock.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class EnrollmentFlowTest : public IntegrationTest {
 protected:
  void SetUp() override { StartServer(); }
};

TEST_F(EnrollmentFlowTest, EnrolCheckInListRevokeRefused) {
  auto state = Enroll(CreateToken(), "laptop-1");
  ASSERT_TRUE(state.ok()) << state.status();
  auto record = state->LoadRecord();
  ASSERT_TRUE(record.ok());

  auto first = CheckIn(*state);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->accepted_sequence(), 1u);
  EXPECT_FALSE(first->duplicate());

  CtlResult list = Ctl(admin_credentials_, {"device", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr(record->device_id));
  EXPECT_THAT(list.out, HasSubstr("laptop-1"));
  EXPECT_THAT(list.out, HasSubstr("active"));
  EXPECT_THAT(list.out, HasSubstr("Debian GNU/Linux 12"));

  CtlResult show =
      Ctl(admin_credentials_, {"device", "show", record->device_id, "--facts"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("kernel_release: 6.1.0-test"));
  EXPECT_THAT(show.out, HasSubstr("hardware_vendor: Framework"));

  CtlResult revoke =
      Ctl(admin_credentials_, {"device", "revoke", record->device_id,
                               "--reason", "laptop reported stolen", "--yes"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;

  auto refused = CheckIn(*state);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.status().message(), HasSubstr("revoked"));
  EXPECT_THAT(refused.status().message(), HasSubstr("laptop reported stolen"));

  CtlResult again = Ctl(
      admin_credentials_,
      {"device", "revoke", record->device_id, "--reason", "twice", "--yes"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("already revoked"));

  CtlResult audit = Ctl(admin_credentials_, {"audit", "list"});
  EXPECT_THAT(audit.out, HasSubstr("device.enroll"));
  EXPECT_THAT(audit.out, HasSubstr("device.revoke"));
  EXPECT_THAT(audit.out, HasSubstr("operator:root-admin"));
  CtlResult verify = Ctl(admin_credentials_, {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_THAT(verify.out, HasSubstr("intact"));
}

TEST_F(EnrollmentFlowTest, RetriedSequenceIsAnsweredWithoutSecondWrite) {
  auto state = Enroll(CreateToken(), "laptop-2");
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_TRUE(CheckIn(*state).ok());
  auto second = CheckIn(*state);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->accepted_sequence(), 2u);
  EXPECT_TRUE(second->facts_unchanged());

  // Replay sequence 2 as if the response had been lost.
  auto record = state->LoadRecord();
  ASSERT_TRUE(record.ok());
  record->next_sequence = 2;
  ASSERT_TRUE(state->SaveRecord(*record).ok());
  auto commits_before =
      static_cast<server::SqliteStore&>(server_->store()).commit_count();
  auto retry = CheckIn(*state);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->duplicate());
  EXPECT_EQ(retry->accepted_sequence(), 2u);
  EXPECT_EQ(static_cast<server::SqliteStore&>(server_->store()).commit_count(),
            commits_before);
  // The agent continues after what the server holds.
  auto next = CheckIn(*state);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->accepted_sequence(), 3u);
  EXPECT_FALSE(next->duplicate());
}

TEST_F(EnrollmentFlowTest, UsedExpiredRevokedAndUnknownTokensAreRefused) {
  std::string token = CreateToken();
  ASSERT_TRUE(Enroll(token, "first").ok());
  auto reused = Enroll(token, "second");
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reused.status().message(), HasSubstr("already been used"));

  std::string short_lived = CreateToken("staff", "corporate", 1, "1m");
  clock_.Advance(absl::Minutes(2));
  auto expired = Enroll(short_lived, "late");
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(expired.status().message(), HasSubstr("expired"));

  std::string revoked_token = CreateToken();
  auto parsed = enrollment::ParseToken(revoked_token);
  ASSERT_TRUE(parsed.ok());
  CtlResult revoke =
      Ctl(admin_credentials_, {"token", "revoke", parsed->token_id});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  auto revoked = Enroll(revoked_token, "unlucky");
  EXPECT_EQ(revoked.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(revoked.status().message(), HasSubstr("revoked"));

  // Right shape, right CA, unknown id.
  enrollment::EnrollmentToken unknown = enrollment::NewToken(
      parsed->ca_fingerprint_sha256, parsed->server_address);
  auto not_found = Enroll(enrollment::FormatToken(unknown), "stranger");
  EXPECT_EQ(not_found.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(not_found.status().message(), HasSubstr("not recognised"));

  // Known id, wrong secret: indistinguishable from unknown.
  enrollment::EnrollmentToken wrong_secret = *parsed;
  wrong_secret.secret = crypto::RandomBytes(32);
  auto mismatch = Enroll(enrollment::FormatToken(wrong_secret), "guesser");
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(mismatch.status().message(), not_found.status().message());

  CtlResult tokens = Ctl(admin_credentials_, {"token", "list", "--all"});
  EXPECT_THAT(tokens.out, HasSubstr("used_up"));
  EXPECT_THAT(tokens.out, HasSubstr("expired"));
  EXPECT_THAT(tokens.out, HasSubstr("revoked"));
  CtlResult active = Ctl(admin_credentials_, {"token", "list"});
  EXPECT_THAT(active.out, Not(HasSubstr(parsed->token_id)));
}

TEST_F(EnrollmentFlowTest, TwentyAgentsRaceForOneSingleUseTokenOneWins) {
  std::string token = CreateToken();
  constexpr int kAgents = 20;
  std::vector<absl::Status> results(kAgents);
  // Machines are created up front; the map is not touched concurrently.
  for (int i = 0; i < kAgents; ++i) Machine(absl::StrCat("racer-", i));
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kAgents; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      results[i] = Enroll(token, absl::StrCat("racer-", i)).status();
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  int wins = 0;
  for (const absl::Status& s : results) {
    if (s.ok()) {
      ++wins;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
      EXPECT_THAT(s.message(), HasSubstr("already been used"));
    }
  }
  EXPECT_EQ(wins, 1);
  CtlResult list = Ctl(admin_credentials_, {"device", "list", "--json"});
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n') > 0, true);
  EXPECT_THAT(list.out, HasSubstr("racer-"));
  size_t devices = 0;
  for (size_t p = list.out.find("\"device_id\""); p != std::string::npos;
       p = list.out.find("\"device_id\"", p + 1)) {
    ++devices;
  }
  EXPECT_EQ(devices, 1u);
}

TEST_F(EnrollmentFlowTest, SameSerialWithNewKeyIsKeptAndFlaggedAsClone) {
  auto original = Enroll(CreateToken(), "desk-1", "SN-12345");
  ASSERT_TRUE(original.ok()) << original.status();
  auto copy = Enroll(CreateToken(), "desk-1-copy", "SN-12345");
  ASSERT_TRUE(copy.ok()) << copy.status();
  auto original_id = original->LoadRecord()->device_id;
  auto copy_id = copy->LoadRecord()->device_id;
  ASSERT_NE(original_id, copy_id);

  CtlResult show = Ctl(admin_credentials_, {"device", "show", copy_id});
  EXPECT_THAT(show.out,
              HasSubstr(absl::StrCat("Possible clone of ", original_id)));
  CtlResult first = Ctl(admin_credentials_, {"device", "show", original_id});
  EXPECT_THAT(first.out, Not(HasSubstr("Possible clone")));
  CtlResult list = Ctl(admin_credentials_, {"device", "list"});
  EXPECT_THAT(list.out, HasSubstr("possible clone"));
}

TEST_F(EnrollmentFlowTest, ServerWithAnotherCaIsRefusedAtEnrolment) {
  auto token = enrollment::ParseToken(CreateToken());
  ASSERT_TRUE(token.ok());
  token->ca_fingerprint_sha256 = crypto::Sha256("some other CA");
  auto state = Enroll(enrollment::FormatToken(*token), "pinned");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(state.status().message(), HasSubstr("pins CA"));
  EXPECT_FALSE(agent::AgentState(dir_.File("agent-pinned")).IsEnrolled());
}

TEST_F(EnrollmentFlowTest, RestartKeepsDevicesTokensAndAudit) {
  auto state = Enroll(CreateToken(), "keeper");
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_TRUE(CheckIn(*state).ok());
  std::string spare = CreateToken("field", "personal", 5, "2h");
  CtlResult audit_before = Ctl(admin_credentials_, {"audit", "list"});
  int port = server_->port();

  StopServer();
  server::ServerConfig config = BaseConfig();
  config.listen_address = absl::StrCat("127.0.0.1:", port);
  StartServer(config);

  CtlResult list = Ctl(admin_credentials_, {"device", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("keeper"));
  CtlResult tokens = Ctl(admin_credentials_, {"token", "list"});
  EXPECT_THAT(tokens.out, HasSubstr("field"));
  CtlResult audit_after = Ctl(admin_credentials_, {"audit", "list"});
  EXPECT_EQ(audit_after.out, audit_before.out);
  EXPECT_EQ(Ctl(admin_credentials_, {"audit", "verify"}).exit_code, 0);
  // Same CA after restart: the agent's pinned identity still works, and the
  // spare token still enrols.
  auto after = CheckIn(*state);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->accepted_sequence(), 2u);
  EXPECT_TRUE(Enroll(spare, "late-joiner").ok());
}

TEST_F(EnrollmentFlowTest, AgentRetriesWhileServerIsDownThenChecksIn) {
  auto state = Enroll(CreateToken(), "patient");
  ASSERT_TRUE(state.ok()) << state.status();
  int port = server_->port();
  StopServer();

  std::atomic<bool> stop{false};
  std::atomic<int> sleeps{0};
  agent::RunOptions options;
  options.timing.interval = absl::Milliseconds(50);
  options.timing.initial_backoff = absl::Milliseconds(20);
  options.timing.max_backoff = absl::Milliseconds(100);
  options.follow_server_interval = false;
  options.rpc_timeout = absl::Seconds(2);
  agent::RunLoop loop(
      *state, &Machine("patient").probe,
      [&](absl::Duration d) {
        ++sleeps;
        absl::SleepFor(d);
        return !stop.load();
      },
      [] { return 0.5; });
  absl::Status loop_status;
  std::thread runner([&] { loop_status = loop.Run(options); });

  // Wait (bounded) until the agent has failed at least three times.
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (sleeps.load() < 3 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_GE(sleeps.load(), 3);
  EXPECT_THAT(state->LoadRecord()->last_checkin_result, HasSubstr("failed"));
  EXPECT_FALSE(state->LoadRecord()->last_checkin_at.has_value());

  server::ServerConfig config = BaseConfig();
  config.listen_address = absl::StrCat("127.0.0.1:", port);
  StartServer(config);
  while (!state->LoadRecord()->last_checkin_at.has_value() &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  stop = true;
  runner.join();
  EXPECT_TRUE(loop_status.ok()) << loop_status;
  auto record = state->LoadRecord();
  ASSERT_TRUE(record->last_checkin_at.has_value());
  EXPECT_THAT(record->last_checkin_result, HasSubstr("ok"));
  CtlResult show =
      Ctl(admin_credentials_, {"device", "show", record->device_id});
  EXPECT_THAT(show.out, Not(HasSubstr("Check-ins:     0")));
}

TEST_F(EnrollmentFlowTest, RenewalAtHalfLifeSwapsKeyAndKeepsDeviceId) {
  auto state = Enroll(CreateToken(), "renewer");
  ASSERT_TRUE(state.ok()) << state.status();
  auto record = state->LoadRecord();
  auto old_identity = state->LoadIdentity();
  ASSERT_TRUE(old_identity.ok());

  // Device certificates live 24h: nothing to do after 1h, renewal after 13h.
  auto early = agent::RenewIfDue(*state, *record, clock_.Now() + absl::Hours(1),
                                 absl::Seconds(10));
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_FALSE(*early);
  auto due = agent::RenewIfDue(*state, *record, clock_.Now() + absl::Hours(13),
                               absl::Seconds(10));
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_TRUE(*due);

  auto new_identity = state->LoadIdentity();
  ASSERT_TRUE(new_identity.ok());
  EXPECT_NE(new_identity->key_pem, old_identity->key_pem);
  auto cert = crypto::ParseCertificate(new_identity->cert_pem);
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(cert->common_name, record->device_id);

  // The new key works; once used, the old key is refused.
  auto checked = CheckIn(*state);
  ASSERT_TRUE(checked.ok()) << checked.status();
  v1::CheckInRequest request;
  request.set_sequence(99);
  request.mutable_report()->set_platform(v1::PLATFORM_LINUX);
  v1::CheckInResponse response;
  grpc::ClientContext context;
  grpc::Status old_key =
      DeviceStub(old_identity->cert_pem, old_identity->key_pem)
          ->CheckIn(&context, request, &response);
  EXPECT_EQ(old_key.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << old_key.error_message();

  CtlResult audit = Ctl(admin_credentials_, {"audit", "list"});
  EXPECT_THAT(audit.out, HasSubstr("device.renew"));
}

TEST_F(EnrollmentFlowTest, OldKeyKeepsWorkingUntilRenewedKeyIsUsed) {
  auto state = Enroll(CreateToken(), "careful");
  ASSERT_TRUE(state.ok()) << state.status();
  auto old_identity = state->LoadIdentity();
  ASSERT_TRUE(old_identity.ok());
  ASSERT_TRUE(
      agent::RenewCertificate(*state, *state->LoadRecord(), absl::Seconds(10))
          .ok());
  // As if the renewal response had been lost: the old identity still works.
  v1::CheckInRequest request;
  request.set_sequence(1);
  request.mutable_report()->set_platform(v1::PLATFORM_LINUX);
  v1::CheckInResponse response;
  grpc::ClientContext context;
  grpc::Status s = DeviceStub(old_identity->cert_pem, old_identity->key_pem)
                       ->CheckIn(&context, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

}  // namespace
}  // namespace trellis::testing
