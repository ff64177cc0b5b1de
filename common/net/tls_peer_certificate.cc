#include "common/net/tls_peer_certificate.h"

#include <netdb.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/net/ip_address.h"

namespace trellis::net {
namespace {

struct SslCtxFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};
struct SslFree {
  void operator()(SSL* p) const { SSL_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct AddrinfoFree {
  void operator()(addrinfo* p) const { freeaddrinfo(p); }
};

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// OpenSSL writes with write(2): a peer that resets the connection would
// raise SIGPIPE and kill the process. Blocks it on this thread while
// connected and discards one raised meanwhile.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      timespec zero{0, 0};
      sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
};

int RemainingMillis(absl::Time deadline) {
  absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return 0;
  return static_cast<int>(absl::ToInt64Milliseconds(left)) + 1;
}

// Waits for `events` on fd until the deadline; false on timeout or error.
bool WaitFor(int fd, short events, absl::Time deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    int ms = RemainingMillis(deadline);
    if (ms == 0) return false;
    int n = ::poll(&p, 1, ms);
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

absl::StatusOr<int> ConnectOne(const addrinfo* ai, absl::Time deadline) {
  int fd =
      ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
               ai->ai_protocol);
  if (fd < 0) return absl::InternalError(std::strerror(errno));
  if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return fd;
  if (errno != EINPROGRESS) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return absl::UnavailableError(why);
  }
  if (!WaitFor(fd, POLLOUT, deadline)) {
    ::close(fd);
    return absl::DeadlineExceededError("connect timed out");
  }
  int error = 0;
  socklen_t len = sizeof(error);
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
  if (error != 0) {
    ::close(fd);
    return absl::UnavailableError(std::strerror(error));
  }
  return fd;
}

// Tries every address of the endpoint in turn until one connects or the
// deadline passes.
absl::StatusOr<int> Connect(const Endpoint& endpoint, absl::Time deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = absl::StrCat(endpoint.port);
  int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot resolve: ", gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, AddrinfoFree> addresses(found);
  absl::StatusOr<int> connected =
      absl::UnavailableError("no address to connect to");
  for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    connected = ConnectOne(ai, deadline);
    if (connected.ok() || absl::IsDeadlineExceeded(connected.status())) break;
  }
  if (!connected.ok()) {
    return absl::Status(
        connected.status().code(),
        absl::StrCat("cannot connect: ", connected.status().message()));
  }
  return connected;
}

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "connection closed";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

absl::StatusOr<std::string> ToPem(X509* cert) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
    return absl::InternalError(OpenSslError());
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// The chain as sent (a client sees the leaf first in it), or the leaf
// alone when no chain is available.
absl::StatusOr<std::vector<std::string>> PresentedCertificates(SSL* ssl) {
  std::vector<std::string> pems;
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    absl::StatusOr<std::string> pem = ToPem(sk_X509_value(chain, i));
    if (!pem.ok()) return pem.status();
    pems.push_back(*std::move(pem));
  }
  if (pems.empty()) {
    std::unique_ptr<X509, X509Free> leaf(SSL_get1_peer_certificate(ssl));
    if (!leaf) return absl::UnavailableError("presented no certificate");
    absl::StatusOr<std::string> pem = ToPem(leaf.get());
    if (!pem.ok()) return pem.status();
    pems.push_back(*std::move(pem));
  }
  return pems;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> FetchPeerCertificates(
    absl::string_view address, const TlsPeerOptions& options) {
  absl::StatusOr<Endpoint> endpoint = ParseEndpoint(address);
  if (!endpoint.ok()) return endpoint.status();
  const absl::Time deadline = absl::Now() + options.timeout;
  SigpipeGuard no_sigpipe;
  absl::StatusOr<int> connected = Connect(*endpoint, deadline);
  if (!connected.ok()) return connected.status();
  Fd fd(*connected);

  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return absl::InternalError(OpenSslError());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  // Nothing is trusted here: the caller judges the certificates, which may
  // be self-signed or from a CA not yet known.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  if (!options.alpn.empty()) {
    std::string protos = absl::StrCat(
        std::string(1, static_cast<char>(options.alpn.size())), options.alpn);
    SSL_CTX_set_alpn_protos(
        ctx.get(), reinterpret_cast<const unsigned char*>(protos.data()),
        static_cast<unsigned int>(protos.size()));
  }
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd.get()) != 1) {
    return absl::InternalError(OpenSslError());
  }
  if (!endpoint->host_is_ip) {
    SSL_set_tlsext_host_name(ssl.get(), endpoint->host.c_str());
  }
  for (;;) {
    int result = SSL_connect(ssl.get());
    if (result == 1) break;
    int error = SSL_get_error(ssl.get(), result);
    short events = error == SSL_ERROR_WANT_READ    ? POLLIN
                   : error == SSL_ERROR_WANT_WRITE ? POLLOUT
                                                   : 0;
    if (events == 0) {
      return absl::UnavailableError(
          absl::StrCat("TLS handshake failed: ", OpenSslError()));
    }
    if (!WaitFor(fd.get(), events, deadline)) {
      return absl::DeadlineExceededError("TLS handshake timed out");
    }
  }
  absl::StatusOr<std::vector<std::string>> certificates =
      PresentedCertificates(ssl.get());
  // A courtesy close_notify; the socket is non-blocking, so this never
  // waits on the peer.
  SSL_shutdown(ssl.get());
  ERR_clear_error();
  return certificates;
}

}  // namespace trellis::net
