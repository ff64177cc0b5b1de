// A TLS server on 127.0.0.1 for tests of code that reads a peer's
// certificate: it presents one certificate (and optional chain) to every
// client, completes the handshake and hangs up.
#ifndef TRELLIS_TESTS_COMMON_NET_TLS_TEST_SERVER_H_
#define TRELLIS_TESTS_COMMON_NET_TLS_TEST_SERVER_H_

#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace trellis::net_testing {

// A listening socket on 127.0.0.1, port chosen by the kernel.
inline int ListenLocal(int* port) {
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

class TlsListener {
 public:
  // `extra_chain_pem`: certificates sent after the leaf, e.g. its CA.
  TlsListener(const std::string& cert_pem, const std::string& key_pem,
              const std::string& extra_chain_pem = "") {
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
    if (!extra_chain_pem.empty()) {
      BIO* chain_bio =
          BIO_new_mem_buf(extra_chain_pem.data(), extra_chain_pem.size());
      while (X509* extra =
                 PEM_read_bio_X509(chain_bio, nullptr, nullptr, nullptr)) {
        // The context takes ownership.
        EXPECT_EQ(SSL_CTX_add_extra_chain_cert(ctx_, extra), 1);
      }
      BIO_free(chain_bio);
    }
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
  TlsListener(const TlsListener&) = delete;
  TlsListener& operator=(const TlsListener&) = delete;

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

}  // namespace trellis::net_testing

#endif  // TRELLIS_TESTS_COMMON_NET_TLS_TEST_SERVER_H_
