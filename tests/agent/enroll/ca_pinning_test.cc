#include "agent/enroll/ca_pinning.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "common/util/encoding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;

std::string Short(const std::string& raw_fingerprint) {
  return absl::StrCat("sha256:", HexEncode(raw_fingerprint).substr(0, 16));
}

class SelectPinnedCaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = crypto::CertificateAuthority::Create("CA A", now_ - absl::Hours(1),
                                                  absl::Hours(48));
    ASSERT_TRUE(a.ok()) << a.status();
    ca_a_ = std::make_unique<crypto::CertificateAuthority>(*std::move(a));
    auto b = crypto::CertificateAuthority::Create("CA B", now_ - absl::Hours(1),
                                                  absl::Hours(48));
    ASSERT_TRUE(b.ok()) << b.status();
    ca_b_ = std::make_unique<crypto::CertificateAuthority>(*std::move(b));
    fp_a_ = *crypto::CertificateFingerprintSha256(ca_a_->certificate_pem());
    fp_b_ = *crypto::CertificateFingerprintSha256(ca_b_->certificate_pem());
    ASSERT_NE(fp_a_, fp_b_);
  }

  std::string ServerCert(const crypto::CertificateAuthority& ca) {
    auto keys = crypto::GenerateKeyPair();
    EXPECT_TRUE(keys.ok()) << keys.status();
    crypto::CertRequest req;
    req.public_key_pem = keys->public_key_pem;
    req.common_name = "trellis-server";
    req.organizational_unit = "server";
    req.dns_names = {"localhost"};
    req.ip_addresses = {"127.0.0.1"};
    req.usage = crypto::CertUsage::kServer;
    req.not_before = now_ - absl::Minutes(5);
    req.not_after = now_ + absl::Hours(24);
    auto cert = ca.Issue(req);
    EXPECT_TRUE(cert.ok()) << cert.status();
    return *cert;
  }

  const absl::Time now_ = absl::Now();
  std::unique_ptr<crypto::CertificateAuthority> ca_a_;
  std::unique_ptr<crypto::CertificateAuthority> ca_b_;
  std::string fp_a_;
  std::string fp_b_;
};

TEST_F(SelectPinnedCaTest, ReturnsTheCaWhenTheFingerprintMatches) {
  const std::string chain = ServerCert(*ca_a_) + ca_a_->certificate_pem();
  absl::StatusOr<std::string> ca = SelectPinnedCa(chain, fp_a_, now_);
  ASSERT_TRUE(ca.ok()) << ca.status();
  EXPECT_EQ(*ca, ca_a_->certificate_pem());
  EXPECT_EQ(*crypto::CertificateFingerprintSha256(*ca), fp_a_);
}

TEST_F(SelectPinnedCaTest, OtherCaFingerprintIsPermissionDenied) {
  const std::string chain = ServerCert(*ca_a_) + ca_a_->certificate_pem();
  absl::StatusOr<std::string> ca = SelectPinnedCa(chain, fp_b_, now_);
  ASSERT_FALSE(ca.ok());
  EXPECT_EQ(ca.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(ca.status().message(), HasSubstr("pins CA"));
  // Both the CA the server presented and the pinned one, shortened.
  EXPECT_THAT(ca.status().message(), HasSubstr(Short(fp_a_)));
  EXPECT_THAT(ca.status().message(), HasSubstr(Short(fp_b_)));
  EXPECT_THAT(ca.status().message(),
              HasSubstr(absl::StrCat("pins CA ", Short(fp_b_))));
}

TEST_F(SelectPinnedCaTest, LeafNotIssuedByPinnedCaIsPermissionDenied) {
  // The attacker presents the genuine CA certificate next to a leaf from
  // its own CA.
  const std::string chain = ServerCert(*ca_b_) + ca_a_->certificate_pem();
  absl::StatusOr<std::string> ca = SelectPinnedCa(chain, fp_a_, now_);
  ASSERT_FALSE(ca.ok());
  EXPECT_EQ(ca.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(ca.status().message(), HasSubstr("not issued by the pinned CA"));
}

TEST_F(SelectPinnedCaTest, LeafAloneWithoutCaIsPermissionDenied) {
  absl::StatusOr<std::string> ca =
      SelectPinnedCa(ServerCert(*ca_a_), fp_a_, now_);
  ASSERT_FALSE(ca.ok());
  EXPECT_EQ(ca.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(ca.status().message(), HasSubstr(Short(fp_a_)));
}

TEST_F(SelectPinnedCaTest, EmptyChainIsAnError) {
  absl::StatusOr<std::string> ca = SelectPinnedCa("", fp_a_, now_);
  ASSERT_FALSE(ca.ok());
  EXPECT_EQ(ca.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(ca.status().message(), HasSubstr("no certificate"));

  ca = SelectPinnedCa("not pem at all", fp_a_, now_);
  ASSERT_FALSE(ca.ok());
  EXPECT_EQ(ca.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(SelectPinnedCaTest, ExpiredLeafIsRefused) {
  const std::string chain = ServerCert(*ca_a_) + ca_a_->certificate_pem();
  absl::StatusOr<std::string> ca =
      SelectPinnedCa(chain, fp_a_, now_ + absl::Hours(30));
  ASSERT_FALSE(ca.ok());
  EXPECT_EQ(ca.status().code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace trellis::agent
