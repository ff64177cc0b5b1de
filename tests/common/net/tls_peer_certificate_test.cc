#include "common/net/tls_peer_certificate.h"

#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/net/tls_test_server.h"

namespace trellis::net {
namespace {

using net_testing::ListenLocal;
using net_testing::TlsListener;
using ::testing::HasSubstr;
using ::testing::SizeIs;

TlsPeerOptions Within(absl::Duration timeout) {
  TlsPeerOptions options;
  options.timeout = timeout;
  return options;
}

TEST(TlsPeerCertificateTest, ReturnsThePresentedChainLeafFirst) {
  const absl::Time now = absl::Now();
  auto ca = crypto::CertificateAuthority::Create(
      "test CA", now - absl::Minutes(1), absl::Hours(1));
  ASSERT_TRUE(ca.ok()) << ca.status();
  auto keys = crypto::GenerateKeyPair();
  ASSERT_TRUE(keys.ok()) << keys.status();
  crypto::CertRequest request;
  request.public_key_pem = keys->public_key_pem;
  request.common_name = "trellis-server";
  request.organizational_unit = "server";
  request.dns_names = {"localhost"};
  request.ip_addresses = {"127.0.0.1"};
  request.usage = crypto::CertUsage::kServer;
  request.not_before = now - absl::Minutes(1);
  request.not_after = now + absl::Hours(1);
  auto leaf = ca->Issue(request);
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  TlsListener server(*leaf, keys->private_key_pem, ca->certificate_pem());

  TlsPeerOptions options = Within(absl::Seconds(2));
  options.alpn = "h2";  // offered; this server ignores it
  auto chain = FetchPeerCertificates(server.address(), options);
  ASSERT_TRUE(chain.ok()) << chain.status();
  ASSERT_THAT(*chain, SizeIs(2));
  EXPECT_EQ(*crypto::CertificateFingerprintSha256((*chain)[0]),
            *crypto::CertificateFingerprintSha256(*leaf));
  EXPECT_EQ(*crypto::CertificateFingerprintSha256((*chain)[1]),
            *crypto::CertificateFingerprintSha256(ca->certificate_pem()));
}

TEST(TlsPeerCertificateTest, SelfSignedCertificateIsReturnedUnjudged) {
  auto ca = crypto::CertificateAuthority::Create(
      "beacon.corp.example", absl::Now() - absl::Minutes(1), absl::Hours(1));
  ASSERT_TRUE(ca.ok()) << ca.status();
  TlsListener beacon(ca->certificate_pem(), ca->private_key_pem());
  auto chain =
      FetchPeerCertificates(beacon.address(), Within(absl::Seconds(2)));
  ASSERT_TRUE(chain.ok()) << chain.status();
  ASSERT_THAT(*chain, SizeIs(1));
  EXPECT_EQ(*crypto::CertificateFingerprintSha256(chain->front()),
            *crypto::CertificateFingerprintSha256(ca->certificate_pem()));
}

TEST(TlsPeerCertificateTest, ClosedPortIsAnError) {
  int port = 0;
  int fd = ListenLocal(&port);
  ::close(fd);  // nothing listens there now
  auto chain = FetchPeerCertificates(absl::StrCat("127.0.0.1:", port),
                                     Within(absl::Seconds(2)));
  ASSERT_FALSE(chain.ok());
  EXPECT_TRUE(absl::IsUnavailable(chain.status())) << chain.status();
  EXPECT_THAT(chain.status().message(), HasSubstr("cannot connect"));
}

TEST(TlsPeerCertificateTest, SilentServerTimesOut) {
  // Accepts TCP (in the kernel backlog) but never speaks TLS.
  int port = 0;
  int fd = ListenLocal(&port);
  auto chain = FetchPeerCertificates(absl::StrCat("127.0.0.1:", port),
                                     Within(absl::Milliseconds(200)));
  ::close(fd);
  ASSERT_FALSE(chain.ok());
  EXPECT_TRUE(absl::IsDeadlineExceeded(chain.status())) << chain.status();
  EXPECT_THAT(chain.status().message(), HasSubstr("timed out"));
}

TEST(TlsPeerCertificateTest, MalformedAddressIsRefused) {
  for (const char* bad : {"no-port", "127.0.0.1:0", "::1:443", "bad host:1"}) {
    auto chain = FetchPeerCertificates(bad, Within(absl::Seconds(1)));
    EXPECT_TRUE(absl::IsInvalidArgument(chain.status())) << bad;
  }
}

}  // namespace
}  // namespace trellis::net
