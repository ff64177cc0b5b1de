// Who may call what: client certificates, other CAs, operator roles.
#include "absl/strings/str_cat.h"
#include "agent/rpc/channel.h"
#include "common/crypto/pki.h"
#include "common/identity/device_id.h"
#include "gmock/gmock.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;

class AccessControlTest : public IntegrationTest {
 protected:
  void SetUp() override { StartServer(); }

  std::unique_ptr<v1::AdminService::Stub> AdminStub(const std::string& cert,
                                                    const std::string& key) {
    return v1::AdminService::NewStub(agent::MakeChannel(
        address(), agent::ChannelIdentity{CaPem(), cert, key}));
  }

  v1::CheckInRequest MinimalCheckIn() {
    v1::CheckInRequest request;
    request.set_sequence(1);
    request.mutable_report()->set_platform(v1::PLATFORM_LINUX);
    return request;
  }
};

TEST_F(AccessControlTest, DeviceCallsWithoutClientCertificateAreRefused) {
  v1::CheckInResponse response;
  grpc::ClientContext c1;
  grpc::Status s = DeviceStub()->CheckIn(&c1, MinimalCheckIn(), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("client certificate"));

  v1::RenewRequest renew;
  v1::RenewResponse renewed;
  grpc::ClientContext c2;
  EXPECT_EQ(DeviceStub()->Renew(&c2, renew, &renewed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  v1::WhoAmIResponse who;
  grpc::ClientContext c3;
  EXPECT_EQ(
      AdminStub("", "")->WhoAmI(&c3, v1::WhoAmIRequest(), &who).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccessControlTest, CertificateFromAnotherCaIsRefused) {
  auto other_ca = crypto::CertificateAuthority::Create(
      "Impostor CA", absl::Now() - absl::Minutes(1), absl::Hours(24));
  ASSERT_TRUE(other_ca.ok());
  auto keys = crypto::GenerateKeyPair();
  ASSERT_TRUE(keys.ok());
  auto key_hash = crypto::PublicKeySha256(keys->public_key_pem);
  crypto::CertRequest request;
  request.public_key_pem = keys->public_key_pem;
  request.common_name = identity::DeviceIdFromKeyHash(*key_hash);
  request.organizational_unit = "device";
  request.not_before = absl::Now() - absl::Minutes(1);
  request.not_after = absl::Now() + absl::Hours(1);
  auto cert = other_ca->Issue(request);
  ASSERT_TRUE(cert.ok());

  v1::CheckInResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  grpc::Status s = DeviceStub(*cert, keys->private_key_pem)
                       ->CheckIn(&context, MinimalCheckIn(), &response);
  // The TLS handshake itself fails: the server does not accept the chain.
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.error_code(), grpc::StatusCode::OK);
  EXPECT_NE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // And an operator-shaped certificate from that CA gets nowhere either.
  request.common_name = "root-admin";
  request.organizational_unit = "operator";
  auto op_cert = other_ca->Issue(request);
  ASSERT_TRUE(op_cert.ok());
  v1::WhoAmIResponse who;
  grpc::ClientContext c2;
  c2.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  EXPECT_FALSE(AdminStub(*op_cert, keys->private_key_pem)
                   ->WhoAmI(&c2, v1::WhoAmIRequest(), &who)
                   .ok());
  // The server keeps serving real clients.
  EXPECT_EQ(Ctl(admin_credentials_, {"whoami"}).exit_code, 0);
}

TEST_F(AccessControlTest, DeviceCertificateCannotUseAdminApi) {
  auto state = Enroll(CreateToken(), "sneaky");
  ASSERT_TRUE(state.ok()) << state.status();
  auto identity = state->LoadIdentity();
  v1::ListDevicesResponse devices;
  grpc::ClientContext context;
  grpc::Status s =
      AdminStub(identity->cert_pem, identity->key_pem)
          ->ListDevices(&context, v1::ListDevicesRequest(), &devices);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("operator certificate"));
}

TEST_F(AccessControlTest, RolesAreEnforcedPerRpc) {
  auto state = Enroll(CreateToken(), "target");
  ASSERT_TRUE(state.ok());
  std::string device_id = state->LoadRecord()->device_id;
  std::string helpdesk = CreateOperator("hana", "helpdesk");
  std::string auditor = CreateOperator("aled", "auditor");

  CtlResult who = Ctl(helpdesk, {"whoami"});
  EXPECT_EQ(who.exit_code, 0);
  EXPECT_THAT(who.out, HasSubstr("helpdesk"));

  for (const std::string& creds : {helpdesk, auditor}) {
    EXPECT_EQ(Ctl(creds, {"device", "list"}).exit_code, 0);
    EXPECT_EQ(Ctl(creds, {"device", "show", device_id}).exit_code, 0);
    EXPECT_EQ(Ctl(creds, {"token", "list"}).exit_code, 0);
    EXPECT_EQ(Ctl(creds, {"audit", "list"}).exit_code, 0);

    CtlResult create = Ctl(
        creds, {"token", "create", "--group", "g", "--ownership", "corporate"});
    EXPECT_EQ(create.exit_code, 1);
    EXPECT_THAT(create.err, HasSubstr("permission denied"));
    EXPECT_THAT(create.err, HasSubstr("needs role admin"));

    CtlResult revoke =
        Ctl(creds, {"device", "revoke", device_id, "--reason", "x", "--yes"});
    EXPECT_EQ(revoke.exit_code, 1);
    EXPECT_THAT(revoke.err, HasSubstr("permission denied"));

    CtlResult token_revoke = Ctl(creds, {"token", "revoke", "aaaaaaaaaaaaa"});
    EXPECT_EQ(token_revoke.exit_code, 1);
    EXPECT_THAT(token_revoke.err, HasSubstr("permission denied"));
  }
  // Nothing changed.
  EXPECT_TRUE(CheckIn(*state).ok());
}

TEST_F(AccessControlTest, ReplacedOperatorCredentialsStopWorking) {
  std::string first = CreateOperator("rotating", "admin");
  EXPECT_EQ(Ctl(first, {"whoami"}).exit_code, 0);
  std::string old_copy = dir_.File("rotating-old.creds");
  std::rename(first.c_str(), old_copy.c_str());
  std::string second = CreateOperator("rotating", "auditor");
  CtlResult old = Ctl(old_copy, {"whoami"});
  EXPECT_EQ(old.exit_code, 1);
  EXPECT_THAT(old.err, HasSubstr("not authenticated"));
  CtlResult now = Ctl(second, {"whoami"});
  EXPECT_EQ(now.exit_code, 0);
  EXPECT_THAT(now.out, HasSubstr("auditor"));
  EXPECT_THAT(Ctl(admin_credentials_, {"audit", "list"}).out,
              HasSubstr("operator.replace"));
}

}  // namespace
}  // namespace trellis::testing
