#include "agent/vpn/tls_beacon_prober.h"

#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "common/util/encoding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;

// A listening socket on 127.0.0.1, port chosen by the kernel.
int ListenLocal(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  EXPECT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

// A TLS server presenting one self-signed certificate to every client.
class TlsListener {
 public:
  TlsListener(const std::string& cert_pem, const std::string& key_pem) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    BIO* cert_bio = BIO_new_mem_buf(cert_pem.data(), cert_pem.size());
    X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
    BIO* key_bio = BIO_new_mem_buf(key_pem.data(), key_pem.size());
    EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
    EXPECT_EQ(SSL_CTX_use_certificate(ctx_, cert), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey(ctx_, key), 1);
    X509_free(cert);
    EVP_PKEY_free(key);
    BIO_free(cert_bio);
    BIO_free(key_bio);
    fd_ = ListenLocal(&port_);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TlsListener() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
    SSL_CTX_free(ctx_);
  }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  void Serve() {
    // A client that hangs up first must not kill the test with SIGPIPE.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    while (!stop_) {
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) return;
      SSL* ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, conn);
      if (SSL_accept(ssl) == 1) SSL_shutdown(ssl);
      SSL_free(ssl);
      ::close(conn);
    }
  }

  SSL_CTX* ctx_ = nullptr;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

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

TEST_F(TlsBeaconProberTest, ClosedPortIsAnError) {
  int port = 0;
  int fd = ListenLocal(&port);
  ::close(fd);  // nothing listens there now
  auto digest = prober_.LeafCertificateSha256(absl::StrCat("127.0.0.1:", port),
                                              absl::Seconds(2));
  ASSERT_FALSE(digest.ok());
  EXPECT_THAT(digest.status().message(), HasSubstr("cannot connect"));
}

TEST_F(TlsBeaconProberTest, SilentServerTimesOut) {
  // Accepts TCP (in the kernel backlog) but never speaks TLS.
  int port = 0;
  int fd = ListenLocal(&port);
  auto digest = prober_.LeafCertificateSha256(absl::StrCat("127.0.0.1:", port),
                                              absl::Milliseconds(200));
  ::close(fd);
  ASSERT_FALSE(digest.ok());
  EXPECT_TRUE(absl::IsDeadlineExceeded(digest.status())) << digest.status();
  EXPECT_THAT(digest.status().message(), HasSubstr("timed out"));
}

TEST_F(TlsBeaconProberTest, MalformedAddressIsRefused) {
  EXPECT_FALSE(prober_.LeafCertificateSha256("no-port", absl::Seconds(1)).ok());
}

}  // namespace
}  // namespace trellis::agent
