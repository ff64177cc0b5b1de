// Hostile and broken input: each gets a clear error, and the server keeps
// serving everyone else with nothing lost.
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "common/enrollment/token.h"
#include "gmock/gmock.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;

class BadInputTest : public IntegrationTest {
 protected:
  void SetUp() override { StartServer(); }

  grpc::Status RawEnroll(const v1::EnrollRequest& request) {
    v1::EnrollResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    return DeviceStub()->Enroll(&context, request, &response);
  }

  std::string ValidCsr() {
    auto keys = crypto::GenerateKeyPair();
    return *crypto::MakeCsr(keys->private_key_pem, "x");
  }

  // The server still enrols and checks in a real agent.
  void ExpectServerStillServes(const std::string& name) {
    auto state = Enroll(CreateToken(), name);
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_TRUE(CheckIn(*state).ok());
  }
};

TEST_F(BadInputTest, MalformedCsrIsRefusedAndTokenIsNotConsumed) {
  std::string token = CreateToken();
  for (const std::string& csr :
       {std::string("not a csr"),
        std::string("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                    "-----END CERTIFICATE REQUEST-----\n"),
        std::string(20000, 'A')}) {
    v1::EnrollRequest request;
    request.set_enrollment_token(token);
    request.set_csr_pem(csr);
    grpc::Status s = RawEnroll(request);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("csr"));
  }
  // The token survived the bad attempts.
  EXPECT_TRUE(Enroll(token, "after-bad-csr").ok());
}

TEST_F(BadInputTest, GarbageTokensGetClearErrors) {
  for (const std::string& token :
       {std::string(""), std::string("hello"), std::string("trellis1...."),
        std::string("trellis1.AAAAAAAAAAAAA.x.y.z"), std::string(4096, '.'),
        std::string("trellis1.aaaaaaaaaaaaa.\x01.y.z")}) {
    v1::EnrollRequest request;
    request.set_enrollment_token(token);
    request.set_csr_pem(ValidCsr());
    grpc::Status s = RawEnroll(request);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << token;
    EXPECT_THAT(s.error_message(), HasSubstr("enrolment token"));
  }
  // Invalid UTF-8 in a string field is rejected by the protobuf layer
  // itself; what matters is that the call fails and nothing else does.
  v1::EnrollRequest binary;
  binary.set_enrollment_token(std::string("trellis1.\xff\xfe\x00zz", 14));
  binary.set_csr_pem(ValidCsr());
  EXPECT_FALSE(RawEnroll(binary).ok());
  ExpectServerStillServes("after-garbage");
}

TEST_F(BadInputTest, MissingAndOverlongFieldsAreNamed) {
  v1::EnrollRequest empty;
  EXPECT_EQ(RawEnroll(empty).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::EnrollRequest no_csr;
  no_csr.set_enrollment_token(CreateToken());
  grpc::Status s = RawEnroll(no_csr);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("csr_pem is required"));

  v1::EnrollRequest long_host;
  long_host.set_enrollment_token(CreateToken());
  long_host.set_csr_pem(ValidCsr());
  long_host.mutable_description()->set_hostname(std::string(300, 'h'));
  s = RawEnroll(long_host);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("description.hostname"));

  v1::EnrollRequest control;
  control.set_enrollment_token(CreateToken());
  control.set_csr_pem(ValidCsr());
  control.mutable_description()->set_hardware_serial("SN\n1");
  s = RawEnroll(control);
  EXPECT_THAT(s.error_message(), HasSubstr("control character"));

  CtlResult no_group =
      Ctl(admin_credentials_, {"token", "create", "--ownership", "corporate"});
  EXPECT_EQ(no_group.exit_code, 1);
  EXPECT_THAT(no_group.err, HasSubstr("group"));
  // trellisctl refuses these before sending them; the server refuses them
  // from any client.
  CtlResult bad_uses =
      Ctl(admin_credentials_, {"token", "create", "--group", "g", "--ownership",
                               "corporate", "--uses", "0"});
  EXPECT_EQ(bad_uses.exit_code, 2);
  EXPECT_THAT(bad_uses.err, HasSubstr("--uses must be between 1 and 100000"));
  CtlResult bad_ttl =
      Ctl(admin_credentials_, {"token", "create", "--group", "g", "--ownership",
                               "corporate", "--ttl", "5s"});
  EXPECT_EQ(bad_ttl.exit_code, 2);
  EXPECT_THAT(bad_ttl.err, HasSubstr("--ttl must be between 1m and 365d"));
  auto admin = AdminStub(admin_credentials_);
  ASSERT_NE(admin, nullptr);
  for (auto [uses, ttl, field] :
       std::vector<std::tuple<int, int64_t, std::string>>{
           {0, 3600, "max_uses"},
           {100001, 3600, "max_uses"},
           {1, 5, "ttl_seconds"},
           {1, -3600, "ttl_seconds"}}) {
    v1::CreateEnrollmentTokenRequest request;
    request.set_group("g");
    request.set_ownership(v1::OWNERSHIP_CORPORATE);
    request.set_max_uses(uses);
    request.set_ttl_seconds(ttl);
    v1::CreateEnrollmentTokenResponse response;
    grpc::ClientContext context;
    grpc::Status refused =
        admin->CreateEnrollmentToken(&context, request, &response);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(refused.error_message(), HasSubstr(field));
  }
  CtlResult bad_id =
      Ctl(admin_credentials_, {"device", "history", "../../etc"});
  EXPECT_EQ(bad_id.exit_code, 1);
  EXPECT_THAT(bad_id.err, HasSubstr("device_id"));
  CtlResult unknown = Ctl(admin_credentials_,
                          {"device", "show", "daaaaaaaaaaaaaaaaaaaaaaaaaa"});
  EXPECT_THAT(unknown.err, HasSubstr("not found"));
  ExpectServerStillServes("after-missing");
}

TEST_F(BadInputTest, BadReportsAreRefusedAndStoredReportIsKept) {
  auto state = Enroll(CreateToken(), "reporter");
  ASSERT_TRUE(state.ok());
  ASSERT_TRUE(CheckIn(*state).ok());
  auto identity = state->LoadIdentity();
  auto stub = DeviceStub(identity->cert_pem, identity->key_pem);

  auto send = [&](const v1::CheckInRequest& request) {
    v1::CheckInResponse response;
    grpc::ClientContext context;
    return stub->CheckIn(&context, request, &response);
  };
  v1::CheckInRequest zero;
  zero.mutable_report()->set_platform(v1::PLATFORM_LINUX);
  grpc::Status s = send(zero);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("sequence"));

  v1::CheckInRequest dup;
  dup.set_sequence(10);
  dup.mutable_report()->set_platform(v1::PLATFORM_LINUX);
  for (int i = 0; i < 2; ++i) {
    v1::FactTable* t = dup.mutable_report()->add_tables();
    t->set_name("os_version");
    t->set_status(v1::FactTable::STATUS_OK);
    t->add_columns("name");
  }
  s = send(dup);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("os_version twice"));

  v1::CheckInRequest ragged;
  ragged.set_sequence(11);
  ragged.mutable_report()->set_platform(v1::PLATFORM_LINUX);
  v1::FactTable* t = ragged.mutable_report()->add_tables();
  t->set_name("users");
  t->set_status(v1::FactTable::STATUS_OK);
  t->add_columns("name");
  t->add_columns("uid");
  t->add_rows()->add_values()->set_text_value("root");
  s = send(ragged);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("table users row 0"));

  // The last good report is what the server still shows.
  CtlResult show =
      Ctl(admin_credentials_,
          {"device", "show", state->LoadRecord()->device_id, "--facts"});
  EXPECT_THAT(show.out, HasSubstr("kernel_release: 6.1.0-test"));
  EXPECT_THAT(show.out, HasSubstr("Check-ins:     1"));
}

TEST_F(BadInputTest, OversizedMessageIsRefusedAndServerKeepsServing) {
  auto state = Enroll(CreateToken(), "chatty");
  ASSERT_TRUE(state.ok());
  auto identity = state->LoadIdentity();
  v1::CheckInRequest huge;
  huge.set_sequence(1);
  huge.mutable_report()->set_platform(v1::PLATFORM_LINUX);
  v1::FactTable* t = huge.mutable_report()->add_tables();
  t->set_name("blob");
  t->set_status(v1::FactTable::STATUS_OK);
  t->add_columns("data");
  t->add_rows()->add_values()->set_text_value(std::string(2 << 20, 'x'));
  // The agent's channel would refuse to send this; use a channel that lets
  // it through so the server's own limit is what is tested.
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = CaPem();
  tls.pem_cert_chain = identity->cert_pem;
  tls.pem_private_key = identity->key_pem;
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(-1);
  auto stub = v1::DeviceService::NewStub(
      grpc::CreateCustomChannel(address(), grpc::SslCredentials(tls), args));
  v1::CheckInResponse response;
  grpc::ClientContext context;
  grpc::Status s = stub->CheckIn(&context, huge, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << s.error_message();
  EXPECT_TRUE(CheckIn(*state).ok());
  ExpectServerStillServes("after-huge");
}

class EnrolmentRateLimitTest : public IntegrationTest {
 protected:
  void SetUp() override {
    server::ServerConfig config = BaseConfig();
    config.enroll_failure_limit = 3;
    StartServer(config);
  }
};

TEST_F(EnrolmentRateLimitTest, RepeatedFailuresFromOnePeerAreThrottled) {
  auto good = enrollment::ParseToken(CreateToken());
  ASSERT_TRUE(good.ok());
  enrollment::EnrollmentToken guess = *good;
  for (int i = 0; i < 3; ++i) {
    guess.secret = std::string(32, static_cast<char>('a' + i));
    auto s = Enroll(enrollment::FormatToken(guess), absl::StrCat("guess-", i));
    EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
  }
  auto throttled = Enroll(enrollment::FormatToken(*good), "honest");
  EXPECT_EQ(throttled.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(throttled.status().message(), HasSubstr("retry in"));
  clock_.Advance(absl::Minutes(2));
  EXPECT_TRUE(Enroll(enrollment::FormatToken(*good), "honest").ok());
}

}  // namespace
}  // namespace trellis::testing
