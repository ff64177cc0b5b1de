#include "server/enrollment/enroller.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/crypto/pki.h"
#include "common/enrollment/token.h"
#include "common/identity/device_id.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/enrollment/failure_limiter.h"
#include "server/pki/server_pki.h"
#include "server/server_config.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

constexpr char kPeer[] = "ipv4:192.0.2.10";

struct Device {
  crypto::KeyPair keys;
  std::string csr_pem;
  std::string key_hash;
};

Device NewDevice() {
  Device d;
  auto keys = crypto::GenerateKeyPair();
  EXPECT_TRUE(keys.ok()) << keys.status();
  d.keys = *keys;
  auto csr = crypto::MakeCsr(d.keys.private_key_pem, "ignored-by-server");
  EXPECT_TRUE(csr.ok()) << csr.status();
  d.csr_pem = *csr;
  d.key_hash = *crypto::PublicKeySha256(d.keys.public_key_pem);
  return d;
}

class EnrollerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open({dir_.File("trellis.db")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto pki = LoadOrCreateServerPki(dir_.File("state"), {"localhost"},
                                     {"127.0.0.1"}, clock_);
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = std::make_unique<ServerPki>(*std::move(pki));
    config_.state_dir = dir_.File("state");
    config_.clock = &clock_;
    config_.device_certificate_lifetime = absl::Hours(24);
    config_.checkin_interval_seconds = 120;
    config_.enroll_failure_limit = 100;
    MakeEnroller();
  }

  void MakeEnroller() {
    limiter_ = std::make_unique<FailureLimiter>(
        &clock_, config_.enroll_failure_limit, config_.enroll_failure_window);
    enroller_ = std::make_unique<Enroller>(store_.get(), pki_.get(), &config_,
                                           limiter_.get());
  }

  // Stores a token and returns its text form.
  std::string CreateToken(int max_uses = 1, absl::Duration ttl = absl::Hours(1),
                          const std::string& group = "engineering",
                          v1::Ownership ownership = v1::OWNERSHIP_CORPORATE,
                          bool revoked = false) {
    enrollment::EnrollmentToken token =
        enrollment::NewToken(pki_->ca_fingerprint_sha256, "localhost:8443");
    TokenRecord record;
    record.token_id = token.token_id;
    record.secret_hash = enrollment::HashSecret(token.secret);
    record.group = group;
    record.ownership = ownership;
    record.max_uses = max_uses;
    record.created_at = clock_.Now();
    record.expires_at = clock_.Now() + ttl;
    record.created_by = "operator:alice";
    if (revoked) record.revoked_at = clock_.Now();
    absl::Status s = store_->WriteSync(
        [record](StoreWriter& w) { return w.InsertToken(record); });
    EXPECT_TRUE(s.ok()) << s;
    return enrollment::FormatToken(token);
  }

  static std::string TokenId(const std::string& text) {
    return enrollment::ParseToken(text)->token_id;
  }

  v1::EnrollRequest Request(const std::string& token, const Device& device,
                            const std::string& serial = "") {
    v1::EnrollRequest request;
    request.set_enrollment_token(token);
    request.set_csr_pem(device.csr_pem);
    v1::DeviceDescription* d = request.mutable_description();
    d->set_hostname("laptop-7");
    d->set_hardware_serial(serial);
    d->set_platform(v1::PLATFORM_LINUX);
    d->set_os_name("Debian GNU/Linux");
    d->set_os_version("12");
    d->set_agent_version("0.1.0");
    return request;
  }

  absl::StatusOr<v1::EnrollResponse> Enroll(const v1::EnrollRequest& request,
                                            const std::string& peer = kPeer) {
    absl::Notification done;
    absl::StatusOr<v1::EnrollResponse> result =
        absl::UnknownError("callback never ran");
    int calls = 0;
    enroller_->Enroll(request, peer, [&](absl::StatusOr<v1::EnrollResponse> r) {
      ++calls;
      result = std::move(r);
      done.Notify();
    });
    done.WaitForNotification();
    EXPECT_EQ(calls, 1);
    return result;
  }

  std::optional<TokenRecord> ReadToken(const std::string& id) {
    std::optional<TokenRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      auto t = r.GetToken(id);
                      if (!t.ok()) return t.status();
                      out = *t;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  std::optional<DeviceRecord> ReadDevice(const std::string& id) {
    std::optional<DeviceRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      auto d = r.GetDevice(id);
                      if (!d.ok()) return d.status();
                      out = *d;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  std::vector<DeviceRecord> AllDevices() {
    std::vector<DeviceRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      auto d = r.ListDevices("", 1000);
                      if (!d.ok()) return d.status();
                      out = *d;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  std::vector<AuditRecord> Audit() {
    std::vector<AuditRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      auto a = r.ListAudit(0, 1000);
                      if (!a.ok()) return a.status();
                      out = *a;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  testing::TempDir dir_;
  FakeClock clock_{absl::Now()};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<ServerPki> pki_;
  ServerConfig config_;
  std::unique_ptr<FailureLimiter> limiter_;
  std::unique_ptr<Enroller> enroller_;
};

TEST_F(EnrollerTest, SuccessStoresDeviceAndIssuesCertificate) {
  const std::string token =
      CreateToken(1, absl::Hours(1), "design", v1::OWNERSHIP_PERSONAL);
  const Device device = NewDevice();
  const absl::Time now = clock_.Now();
  absl::StatusOr<v1::EnrollResponse> response =
      Enroll(Request(token, device, "SN-123"));
  ASSERT_TRUE(response.ok()) << response.status();

  const std::string expected_id =
      identity::DeviceIdFromKeyHash(device.key_hash);
  EXPECT_TRUE(identity::IsValidDeviceId(expected_id));
  EXPECT_EQ(response->device_id(), expected_id);
  EXPECT_EQ(response->group(), "design");
  EXPECT_EQ(response->ownership(), v1::OWNERSHIP_PERSONAL);
  EXPECT_FALSE(response->flagged_possible_clone());
  EXPECT_EQ(response->checkin_interval_seconds(), 120);
  EXPECT_EQ(response->ca_certificate_pem(), pki_->ca.certificate_pem());

  // The certificate.
  auto cert = crypto::ParseCertificate(response->certificate_pem());
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->common_name, expected_id);
  EXPECT_EQ(cert->organizational_unit, "device");
  EXPECT_EQ(cert->public_key_sha256, device.key_hash);
  EXPECT_EQ(cert->public_key_pem, device.keys.public_key_pem);
  EXPECT_FALSE(cert->is_ca);
  EXPECT_EQ(cert->not_after,
            absl::FromUnixSeconds(absl::ToUnixSeconds(now + absl::Hours(24))));
  EXPECT_LE(cert->not_before, now);
  EXPECT_EQ(response->certificate_expires_at().seconds(),
            absl::ToUnixSeconds(cert->not_after));
  EXPECT_TRUE(crypto::VerifyIssuedBy(response->certificate_pem(),
                                     pki_->ca.certificate_pem(), now)
                  .ok());

  // The device row.
  std::optional<DeviceRecord> d = ReadDevice(expected_id);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->key_hash, device.key_hash);
  EXPECT_EQ(d->pending_key_hash, "");
  EXPECT_EQ(d->group, "design");
  EXPECT_EQ(d->ownership, v1::OWNERSHIP_PERSONAL);
  EXPECT_EQ(d->state, v1::DEVICE_STATE_ACTIVE);
  EXPECT_EQ(d->hostname, "laptop-7");
  EXPECT_EQ(d->hardware_serial, "SN-123");
  EXPECT_EQ(d->platform, v1::PLATFORM_LINUX);
  EXPECT_EQ(d->os_name, "Debian GNU/Linux");
  EXPECT_EQ(d->os_version, "12");
  EXPECT_EQ(d->agent_version, "0.1.0");
  EXPECT_EQ(d->token_id, TokenId(token));
  EXPECT_EQ(d->cert_serial_hex, cert->serial_hex);
  EXPECT_EQ(d->cert_expires_at, cert->not_after);
  EXPECT_EQ(d->enrolled_at, absl::FromUnixMicros(absl::ToUnixMicros(now)));
  EXPECT_EQ(d->clone_of_device_id, "");

  // The token use.
  std::optional<TokenRecord> t = ReadToken(TokenId(token));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->uses, 1);

  // The audit entry.
  std::vector<AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "device.enroll");
  EXPECT_EQ(audit[0].target, expected_id);
  EXPECT_EQ(audit[0].actor, absl::StrCat("device:", expected_id));
  EXPECT_THAT(audit[0].details_json,
              HasSubstr(absl::StrCat("\"token_id\":\"", TokenId(token), "\"")));
  EXPECT_THAT(audit[0].details_json, HasSubstr("\"group\":\"design\""));
  EXPECT_THAT(audit[0].details_json,
              HasSubstr(absl::StrCat("\"certificate_serial\":\"",
                                     cert->serial_hex, "\"")));
}

TEST_F(EnrollerTest, UnknownTokenIdIsNotFound) {
  enrollment::EnrollmentToken stranger =
      enrollment::NewToken(pki_->ca_fingerprint_sha256, "localhost:8443");
  absl::StatusOr<v1::EnrollResponse> response =
      Enroll(Request(enrollment::FormatToken(stranger), NewDevice()));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(response.status().message(), HasSubstr("not recognised"));
  EXPECT_TRUE(AllDevices().empty());
  EXPECT_TRUE(Audit().empty());
}

TEST_F(EnrollerTest, WrongSecretLooksExactlyLikeUnknownId) {
  const std::string token = CreateToken();
  auto parsed = enrollment::ParseToken(token);
  ASSERT_TRUE(parsed.ok());
  enrollment::EnrollmentToken forged = *parsed;
  forged.secret[0] ^= 0x01;
  absl::StatusOr<v1::EnrollResponse> wrong_secret =
      Enroll(Request(enrollment::FormatToken(forged), NewDevice()));

  enrollment::EnrollmentToken stranger =
      enrollment::NewToken(pki_->ca_fingerprint_sha256, "localhost:8443");
  absl::StatusOr<v1::EnrollResponse> unknown =
      Enroll(Request(enrollment::FormatToken(stranger), NewDevice()));

  ASSERT_FALSE(wrong_secret.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong_secret.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(wrong_secret.status().message(), unknown.status().message());
  EXPECT_THAT(wrong_secret.status().message(),
              ::testing::Not(HasSubstr(parsed->token_id)));
  // Nothing consumed.
  EXPECT_EQ(ReadToken(parsed->token_id)->uses, 0);
  EXPECT_TRUE(AllDevices().empty());
}

TEST_F(EnrollerTest, ExpiredTokenIsFailedPrecondition) {
  const std::string token = CreateToken(1, absl::Hours(1));
  clock_.Advance(absl::Hours(1) + absl::Seconds(1));
  absl::StatusOr<v1::EnrollResponse> response =
      Enroll(Request(token, NewDevice()));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(response.status().message(), HasSubstr("expired"));
  EXPECT_THAT(response.status().message(), HasSubstr(TokenId(token)));
  EXPECT_EQ(ReadToken(TokenId(token))->uses, 0);
  EXPECT_TRUE(AllDevices().empty());
}

TEST_F(EnrollerTest, TokenIsUsableUntilJustBeforeExpiry) {
  const std::string token = CreateToken(1, absl::Hours(1));
  clock_.Advance(absl::Hours(1) - absl::Seconds(1));
  absl::StatusOr<v1::EnrollResponse> response =
      Enroll(Request(token, NewDevice()));
  EXPECT_TRUE(response.ok()) << response.status();
}

TEST_F(EnrollerTest, RevokedTokenIsFailedPrecondition) {
  const std::string token =
      CreateToken(5, absl::Hours(1), "eng", v1::OWNERSHIP_CORPORATE,
                  /*revoked=*/true);
  absl::StatusOr<v1::EnrollResponse> response =
      Enroll(Request(token, NewDevice()));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(response.status().message(), HasSubstr("revoked"));
  EXPECT_TRUE(AllDevices().empty());
}

TEST_F(EnrollerTest, SingleUseTokenCannotBeUsedTwice) {
  const std::string token = CreateToken(1);
  ASSERT_TRUE(Enroll(Request(token, NewDevice())).ok());
  absl::StatusOr<v1::EnrollResponse> second =
      Enroll(Request(token, NewDevice()));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr("already been used"));
  EXPECT_EQ(ReadToken(TokenId(token))->uses, 1);
  EXPECT_EQ(AllDevices().size(), 1u);
}

TEST_F(EnrollerTest, MultiUseTokenAllowsExactlyMaxUses) {
  const std::string token = CreateToken(3);
  for (int i = 1; i <= 3; ++i) {
    absl::StatusOr<v1::EnrollResponse> r = Enroll(Request(token, NewDevice()));
    ASSERT_TRUE(r.ok()) << "use " << i << ": " << r.status();
    EXPECT_EQ(ReadToken(TokenId(token))->uses, i);
  }
  absl::StatusOr<v1::EnrollResponse> fourth =
      Enroll(Request(token, NewDevice()));
  ASSERT_FALSE(fourth.ok());
  EXPECT_EQ(fourth.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(fourth.status().message(), HasSubstr("already been used"));
  EXPECT_THAT(fourth.status().message(), HasSubstr("3 of 3 uses"));
  EXPECT_EQ(ReadToken(TokenId(token))->uses, 3);
  EXPECT_EQ(AllDevices().size(), 3u);
  EXPECT_EQ(Audit().size(), 3u);
}

TEST_F(EnrollerTest, RacingOnSingleUseTokenHasExactlyOneWinner) {
  const std::string token = CreateToken(1);
  constexpr int kThreads = 20;
  std::vector<v1::EnrollRequest> requests;
  for (int i = 0; i < kThreads; ++i) {
    requests.push_back(Request(token, NewDevice()));
  }
  std::atomic<int> ok{0}, used{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      // Distinct peers, so the failure limit plays no part.
      absl::StatusOr<v1::EnrollResponse> r =
          Enroll(requests[i], absl::StrCat("ipv4:10.0.0.", i));
      if (r.ok()) {
        ++ok;
      } else if (r.status().code() == absl::StatusCode::kFailedPrecondition &&
                 absl::StrContains(r.status().message(), "already been used")) {
        ++used;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(used.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(ReadToken(TokenId(token))->uses, 1);
  EXPECT_EQ(AllDevices().size(), 1u);
  EXPECT_EQ(Audit().size(), 1u);
}

TEST_F(EnrollerTest, SameSerialWithDifferentKeyIsFlaggedAsPossibleClone) {
  const std::string token = CreateToken(3);
  absl::StatusOr<v1::EnrollResponse> first =
      Enroll(Request(token, NewDevice(), "SN-SHARED"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->flagged_possible_clone());
  clock_.Advance(absl::Minutes(1));
  absl::StatusOr<v1::EnrollResponse> second =
      Enroll(Request(token, NewDevice(), "SN-SHARED"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->flagged_possible_clone());
  EXPECT_NE(second->device_id(), first->device_id());

  std::optional<DeviceRecord> a = ReadDevice(first->device_id());
  std::optional<DeviceRecord> b = ReadDevice(second->device_id());
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(a->clone_of_device_id, "");
  EXPECT_EQ(b->clone_of_device_id, first->device_id());
  EXPECT_EQ(a->state, v1::DEVICE_STATE_ACTIVE);
  EXPECT_EQ(b->state, v1::DEVICE_STATE_ACTIVE);
  std::vector<AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_THAT(audit[1].details_json,
              HasSubstr(absl::StrCat("\"possible_clone_of\":\"",
                                     first->device_id(), "\"")));

  // An empty serial never makes devices clones of each other.
  absl::StatusOr<v1::EnrollResponse> no_serial_1 =
      Enroll(Request(token, NewDevice(), ""));
  ASSERT_TRUE(no_serial_1.ok()) << no_serial_1.status();
  EXPECT_FALSE(no_serial_1->flagged_possible_clone());
}

TEST_F(EnrollerTest, RetryOfSameCsrAndTokenIsTheSameDeviceAndSpendsNoUse) {
  // Single use: the first enrolment spends the token; its answer is lost
  // and the agent sends the same CSR with the same token again.
  const std::string token = CreateToken(1);
  const Device device = NewDevice();
  const v1::EnrollRequest request = Request(token, device, "SN-9");
  absl::StatusOr<v1::EnrollResponse> first = Enroll(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(ReadToken(TokenId(token))->uses, 1);

  clock_.Advance(absl::Minutes(1));
  absl::StatusOr<v1::EnrollResponse> again = Enroll(request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->device_id(), first->device_id());
  EXPECT_EQ(again->group(), first->group());
  EXPECT_EQ(again->ownership(), first->ownership());
  EXPECT_EQ(again->ca_certificate_pem(), first->ca_certificate_pem());
  EXPECT_EQ(again->policy_signing_public_key_pem(),
            first->policy_signing_public_key_pem());
  auto cert = crypto::ParseCertificate(again->certificate_pem());
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->common_name, first->device_id());
  EXPECT_EQ(cert->public_key_pem, device.keys.public_key_pem);
  EXPECT_TRUE(crypto::VerifyIssuedBy(again->certificate_pem(),
                                     pki_->ca.certificate_pem(), clock_.Now())
                  .ok());

  // One device, one use; the device row names the certificate last issued.
  EXPECT_EQ(ReadToken(TokenId(token))->uses, 1);
  ASSERT_EQ(AllDevices().size(), 1u);
  std::optional<DeviceRecord> d = ReadDevice(first->device_id());
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->cert_serial_hex, cert->serial_hex);
  EXPECT_EQ(d->state, v1::DEVICE_STATE_ACTIVE);
  std::vector<AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "device.enroll");
  EXPECT_EQ(audit[1].action, "device.enroll_retry");
  EXPECT_EQ(audit[1].target, first->device_id());

  // Still a different key with the used-up token is refused.
  absl::StatusOr<v1::EnrollResponse> other =
      Enroll(Request(token, NewDevice()));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(other.status().message(), HasSubstr("already been used"));
  EXPECT_EQ(AllDevices().size(), 1u);
}

TEST_F(EnrollerTest, SameKeyWithAnotherTokenIsAlreadyExistsAndKeepsTheUse) {
  const std::string token = CreateToken(3);
  const Device device = NewDevice();
  absl::StatusOr<v1::EnrollResponse> first = Enroll(Request(token, device));
  ASSERT_TRUE(first.ok()) << first.status();

  const std::string other = CreateToken(1);
  absl::StatusOr<v1::EnrollResponse> with_other =
      Enroll(Request(other, device));
  ASSERT_FALSE(with_other.ok());
  EXPECT_EQ(with_other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(with_other.status().message(), HasSubstr(first->device_id()));
  EXPECT_EQ(ReadToken(TokenId(other))->uses, 0);
  EXPECT_EQ(ReadToken(TokenId(token))->uses, 1);
  EXPECT_EQ(AllDevices().size(), 1u);
  EXPECT_EQ(Audit().size(), 1u);
}

TEST_F(EnrollerTest, RetryNeedsTheTokenStillValid) {
  const std::string token = CreateToken(1, absl::Minutes(10));
  const Device device = NewDevice();
  ASSERT_TRUE(Enroll(Request(token, device)).ok());

  // The right token id with a wrong secret looks like an unknown token.
  enrollment::EnrollmentToken forged = *enrollment::ParseToken(token);
  forged.secret = std::string(enrollment::kSecretBytes, 'x');
  EXPECT_EQ(
      Enroll(Request(enrollment::FormatToken(forged), device)).status().code(),
      absl::StatusCode::kNotFound);

  clock_.Advance(absl::Minutes(11));
  absl::StatusOr<v1::EnrollResponse> late = Enroll(Request(token, device));
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(late.status().message(), HasSubstr("expired"));
  EXPECT_EQ(Audit().size(), 1u);
}

TEST_F(EnrollerTest, RetryForARevokedDeviceIsRefused) {
  const std::string token = CreateToken(1);
  const Device device = NewDevice();
  absl::StatusOr<v1::EnrollResponse> first = Enroll(Request(token, device));
  ASSERT_TRUE(first.ok()) << first.status();
  DeviceRecord d = *ReadDevice(first->device_id());
  d.state = v1::DEVICE_STATE_REVOKED;
  ASSERT_TRUE(
      store_->WriteSync([d](StoreWriter& w) { return w.UpdateDevice(d); })
          .ok());

  absl::StatusOr<v1::EnrollResponse> again = Enroll(Request(token, device));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ReadDevice(first->device_id())->state, v1::DEVICE_STATE_REVOKED);
}

TEST_F(EnrollerTest, MalformedCsrIsInvalidArgument) {
  const std::string token = CreateToken();
  v1::EnrollRequest request = Request(token, NewDevice());
  request.set_csr_pem(
      "-----BEGIN CERTIFICATE REQUEST-----\nnonsense\n-----END CERTIFICATE "
      "REQUEST-----\n");
  absl::StatusOr<v1::EnrollResponse> response = Enroll(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("csr"));
  EXPECT_EQ(ReadToken(TokenId(token))->uses, 0);

  request.set_csr_pem("");
  response = Enroll(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("csr_pem is required"));

  request.set_csr_pem(std::string(20000, 'A'));
  response = Enroll(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("csr_pem is too long"));
  EXPECT_TRUE(AllDevices().empty());
}

TEST_F(EnrollerTest, GarbageTokenIsInvalidArgument) {
  for (const char* garbage :
       {"", "hello", "trellis1.a.b.c.d", "trellis1.....", "not-a-token\n"}) {
    absl::StatusOr<v1::EnrollResponse> response =
        Enroll(Request(garbage, NewDevice()));
    ASSERT_FALSE(response.ok()) << garbage;
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument)
        << garbage;
    EXPECT_THAT(response.status().message(), HasSubstr("enrolment token"));
  }
  EXPECT_TRUE(AllDevices().empty());
}

TEST_F(EnrollerTest, BadDescriptionIsInvalidArgument) {
  const std::string token = CreateToken();
  v1::EnrollRequest request = Request(token, NewDevice());
  request.mutable_description()->set_hostname(std::string(254, 'h'));
  absl::StatusOr<v1::EnrollResponse> response = Enroll(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("description.hostname"));

  request = Request(token, NewDevice(), "SN\n1");
  response = Enroll(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(),
              HasSubstr("description.hardware_serial"));

  request = Request(token, NewDevice());
  request.mutable_description()->set_platform(static_cast<v1::Platform>(42));
  response = Enroll(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("platform"));
  EXPECT_EQ(ReadToken(TokenId(token))->uses, 0);
}

TEST_F(EnrollerTest, FailureLimitBlocksEvenAValidTokenFromThatPeer) {
  config_.enroll_failure_limit = 3;
  MakeEnroller();
  for (int i = 0; i < 3; ++i) {
    enrollment::EnrollmentToken guess =
        enrollment::NewToken(pki_->ca_fingerprint_sha256, "localhost:8443");
    absl::StatusOr<v1::EnrollResponse> r =
        Enroll(Request(enrollment::FormatToken(guess), NewDevice()), kPeer);
    ASSERT_EQ(r.status().code(), absl::StatusCode::kNotFound) << r.status();
  }
  const std::string token = CreateToken(2);
  absl::StatusOr<v1::EnrollResponse> blocked =
      Enroll(Request(token, NewDevice()), kPeer);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(blocked.status().message(), HasSubstr("retry in"));
  EXPECT_EQ(ReadToken(TokenId(token))->uses, 0);

  absl::StatusOr<v1::EnrollResponse> other_peer =
      Enroll(Request(token, NewDevice()), "ipv4:192.0.2.99");
  EXPECT_TRUE(other_peer.ok()) << other_peer.status();

  // Once the window has passed, the first peer may try again.
  clock_.Advance(config_.enroll_failure_window + absl::Seconds(1));
  absl::StatusOr<v1::EnrollResponse> later =
      Enroll(Request(token, NewDevice()), kPeer);
  EXPECT_TRUE(later.ok()) << later.status();
}

TEST_F(EnrollerTest, GarbageTokensCountTowardsTheLimit) {
  config_.enroll_failure_limit = 3;
  MakeEnroller();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Enroll(Request("garbage", NewDevice())).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(Enroll(Request(CreateToken(), NewDevice())).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(EnrollerTest, AlreadyEnrolledKeyDoesNotCountAsFailure) {
  config_.enroll_failure_limit = 2;
  MakeEnroller();
  const std::string token = CreateToken(5);
  const std::string other = CreateToken(5);
  const Device device = NewDevice();
  ASSERT_TRUE(Enroll(Request(token, device)).ok());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Enroll(Request(other, device)).status().code(),
              absl::StatusCode::kAlreadyExists);
  }
  EXPECT_TRUE(Enroll(Request(token, NewDevice())).ok());
}

}  // namespace
}  // namespace trellis::server
