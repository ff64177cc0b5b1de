// Enrolment against a scripted server: the key and CSR are saved before
// they are sent, and a lost answer is retried (in the same run, or by
// running `enroll` again) with the same key, so a single-use token spent by
// the first attempt still yields the device.
#include "agent/enroll/device_enrollment.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "agent/enroll/pending_enrollment.h"
#include "common/crypto/pki.h"
#include "common/enrollment/token.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;

// Issues a certificate for whatever key the CSR carries; loses the answers
// it is told to lose after acting on the request, as a server whose reply
// never arrives.
class ScriptedServer : public EnrollTransport {
 public:
  explicit ScriptedServer(const Clock* clock) : clock_(clock) {
    auto ca = crypto::CertificateAuthority::Create("test CA", clock->Now(),
                                                   absl::Hours(48));
    EXPECT_TRUE(ca.ok()) << ca.status();
    ca_.emplace(*std::move(ca));
  }

  absl::StatusOr<std::string> FetchPinnedCa(const std::string&,
                                            const std::string& fingerprint,
                                            absl::Duration) override {
    EXPECT_EQ(fingerprint, Fingerprint());
    return ca_->certificate_pem();
  }

  absl::StatusOr<v1::EnrollResponse> Enroll(const std::string&,
                                            const std::string& ca_pem,
                                            const v1::EnrollRequest& request,
                                            absl::Duration) override {
    EXPECT_EQ(ca_pem, ca_->certificate_pem());
    requests.push_back(request);
    if (on_request) on_request(request);
    auto public_key = crypto::PublicKeyFromCsr(request.csr_pem());
    if (!public_key.ok()) return public_key.status();
    crypto::CertRequest cert;
    cert.public_key_pem = *public_key;
    cert.common_name = "d7example";
    cert.organizational_unit = "device";
    cert.not_before = clock_->Now() - absl::Minutes(1);
    cert.not_after = clock_->Now() + absl::Hours(24);
    auto pem = ca_->Issue(cert);
    if (!pem.ok()) return pem.status();
    if (answers_to_lose > 0) {
      --answers_to_lose;
      return absl::UnavailableError("Socket closed");
    }
    v1::EnrollResponse response;
    response.set_device_id("d7example");
    response.set_group("staff");
    response.set_ownership(v1::OWNERSHIP_CORPORATE);
    response.set_certificate_pem(*pem);
    response.set_ca_certificate_pem(ca_->certificate_pem());
    return response;
  }

  std::string Fingerprint() const {
    return *crypto::CertificateFingerprintSha256(ca_->certificate_pem());
  }
  std::string NewTokenText() const {
    return enrollment::FormatToken(
        enrollment::NewToken(Fingerprint(), "enroll.test:8443"));
  }

  int answers_to_lose = 0;
  std::vector<v1::EnrollRequest> requests;
  std::function<void(const v1::EnrollRequest&)> on_request;

 private:
  const Clock* clock_;
  std::optional<crypto::CertificateAuthority> ca_;
};

std::string CsrKey(const v1::EnrollRequest& request) {
  auto key = crypto::PublicKeyFromCsr(request.csr_pem());
  EXPECT_TRUE(key.ok()) << key.status();
  return key.value_or("");
}

class DeviceEnrollmentTest : public ::testing::Test {
 protected:
  EnrollOptions Options(const std::string& token, int max_attempts = 3) {
    EnrollOptions options;
    options.token = token;
    options.max_attempts = max_attempts;
    return options;
  }

  testing::TempDir dir_;
  AgentState state_{dir_.File("state")};
  FakeClock clock_;
  vpn_testing::FakeSystem system_;
  FakeCommandRunner runner_;
  DeviceProbe probe_{&system_, &runner_, &clock_, {}, v1::PLATFORM_LINUX};
  ScriptedServer server_{&clock_};
};

TEST_F(DeviceEnrollmentTest, LostAnswerIsRetriedWithTheSameCsr) {
  server_.answers_to_lose = 1;
  auto response =
      EnrollDevice(state_, Options(server_.NewTokenText()), probe_, server_);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(server_.requests.size(), 2u);
  EXPECT_EQ(server_.requests[1].csr_pem(), server_.requests[0].csr_pem());
  EXPECT_EQ(server_.requests[1].enrollment_token(),
            server_.requests[0].enrollment_token());
  EXPECT_TRUE(state_.IsEnrolled());
  auto identity = state_.LoadIdentity();
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ(*crypto::PublicKeyFromPrivate(identity->key_pem),
            CsrKey(server_.requests[0]));
  // Enrolled: the pending key is gone, device.key holds it.
  EXPECT_FALSE(FileExists(state_.PendingEnrollmentPath()));
}

TEST_F(DeviceEnrollmentTest,
       RunningEnrollAgainAfterALostAnswerSendsTheSameKey) {
  const std::string token = server_.NewTokenText();
  server_.answers_to_lose = 1;
  auto lost =
      EnrollDevice(state_, Options(token, /*max_attempts=*/1), probe_, server_);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(lost.status().message(), HasSubstr("run the same command again"));
  EXPECT_FALSE(state_.IsEnrolled());
  EXPECT_EQ(*FileMode(state_.PendingEnrollmentPath()), 0600);

  // As after a crash: a new process, the same state directory and token.
  auto again = EnrollDevice(state_, Options(token), probe_, server_);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(server_.requests.size(), 2u);
  EXPECT_EQ(CsrKey(server_.requests[1]), CsrKey(server_.requests[0]));
  auto identity = state_.LoadIdentity();
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ(*crypto::PublicKeyFromPrivate(identity->key_pem),
            CsrKey(server_.requests[0]));
}

TEST_F(DeviceEnrollmentTest, KeyAndCsrAreOnDiskBeforeTheyAreSent) {
  bool checked = false;
  server_.on_request = [&](const v1::EnrollRequest& request) {
    auto text = ReadFile(state_.PendingEnrollmentPath());
    ASSERT_TRUE(text.ok()) << text.status();
    auto pending = ParsePendingEnrollment(*text);
    ASSERT_TRUE(pending.ok()) << pending.status();
    EXPECT_EQ(pending->csr_pem, request.csr_pem());
    EXPECT_EQ(*FileMode(state_.PendingEnrollmentPath()), 0600);
    checked = true;
  };
  ASSERT_TRUE(
      EnrollDevice(state_, Options(server_.NewTokenText()), probe_, server_)
          .ok());
  EXPECT_TRUE(checked);
}

TEST_F(DeviceEnrollmentTest, ARefusalIsNotRetried) {
  class Refusing : public ScriptedServer {
   public:
    using ScriptedServer::ScriptedServer;
    absl::StatusOr<v1::EnrollResponse> Enroll(const std::string&,
                                              const std::string&,
                                              const v1::EnrollRequest&,
                                              absl::Duration) override {
      ++calls;
      return absl::FailedPreconditionError("token has already been used");
    }
    int calls = 0;
  } refusing(&clock_);
  auto refused =
      EnrollDevice(state_, Options(refusing.NewTokenText()), probe_, refusing);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("refused by"));
  EXPECT_EQ(refusing.calls, 1);
}

TEST_F(DeviceEnrollmentTest, AnotherTokenStartsWithANewKey) {
  server_.answers_to_lose = 1;
  ASSERT_FALSE(
      EnrollDevice(state_, Options(server_.NewTokenText(), 1), probe_, server_)
          .ok());
  ASSERT_TRUE(
      EnrollDevice(state_, Options(server_.NewTokenText()), probe_, server_)
          .ok());
  ASSERT_EQ(server_.requests.size(), 2u);
  EXPECT_NE(CsrKey(server_.requests[1]), CsrKey(server_.requests[0]));
}

TEST_F(DeviceEnrollmentTest, DamagedPendingFileIsAnErrorNamingIt) {
  ASSERT_TRUE(MakeDirs(state_.dir(), 0700).ok());
  ASSERT_TRUE(WriteFileAtomic(state_.PendingEnrollmentPath(),
                              "token_id: abc\nnot a key\n", 0600)
                  .ok());
  auto response =
      EnrollDevice(state_, Options(server_.NewTokenText()), probe_, server_);
  ASSERT_FALSE(response.ok());
  EXPECT_THAT(response.status().message(),
              HasSubstr(state_.PendingEnrollmentPath()));
  EXPECT_TRUE(server_.requests.empty());
}

}  // namespace
}  // namespace trellis::agent
