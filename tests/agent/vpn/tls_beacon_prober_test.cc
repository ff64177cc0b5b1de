#include "agent/vpn/tls_beacon_prober.h"

#include <unistd.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "common/util/encoding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/net/tls_test_server.h"

namespace trellis::agent {
namespace {

using net_testing::ListenLocal;
using net_testing::TlsListener;
using ::testing::HasSubstr;

class TlsBeaconProberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = crypto::CertificateAuthority::Create(
        "beacon.corp.example", absl::Now() - absl::Minutes(1), absl::Hours(1));
    ASSERT_TRUE(ca.ok()) << ca.status();
    cert_pem_ = ca->certificate_pem();
    key_pem_ = ca->private_key_pem();
    auto fingerprint = crypto::CertificateFingerprintSha256(cert_pem_);
    ASSERT_TRUE(fingerprint.ok());
    fingerprint_ = *fingerprint;
  }
  std::string cert_pem_, key_pem_, fingerprint_;
  TlsBeaconProber prober_;
};

TEST_F(TlsBeaconProberTest, ReturnsTheLeafFingerprint) {
  TlsListener beacon(cert_pem_, key_pem_);
  auto digest =
      prober_.LeafCertificateSha256(beacon.address(), absl::Seconds(2));
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(*digest, fingerprint_);
  EXPECT_TRUE(FingerprintMatches(absl::AsciiStrToUpper(HexEncode(fingerprint_)),
                                 *digest));
}

TEST_F(TlsBeaconProberTest, AnotherCertificateDoesNotMatchThePin) {
  auto other = crypto::CertificateAuthority::Create(
      "beacon.corp.example", absl::Now() - absl::Minutes(1), absl::Hours(1));
  ASSERT_TRUE(other.ok());
  TlsListener impostor(other->certificate_pem(), other->private_key_pem());
  auto digest =
      prober_.LeafCertificateSha256(impostor.address(), absl::Seconds(2));
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_FALSE(FingerprintMatches(HexEncode(fingerprint_), *digest));
}

// Connection failures in detail are net::FetchPeerCertificates' tests;
// here only that they name the beacon and keep their code.
TEST_F(TlsBeaconProberTest, FailuresNameTheBeacon) {
  int port = 0;
  int fd = ListenLocal(&port);
  ::close(fd);  // nothing listens there now
  const std::string address = absl::StrCat("127.0.0.1:", port);
  auto digest = prober_.LeafCertificateSha256(address, absl::Seconds(2));
  ASSERT_FALSE(digest.ok());
  EXPECT_TRUE(absl::IsUnavailable(digest.status())) << digest.status();
  EXPECT_THAT(digest.status().message(),
              HasSubstr(absl::StrCat("beacon ", address, ": cannot connect")));
}

TEST_F(TlsBeaconProberTest, MalformedAddressIsRefused) {
  EXPECT_FALSE(prober_.LeafCertificateSha256("no-port", absl::Seconds(1)).ok());
}

}  // namespace
}  // namespace trellis::agent
