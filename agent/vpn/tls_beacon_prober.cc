#include "agent/vpn/tls_beacon_prober.h"

#include <netdb.h>
#include <openssl/err.h>
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
#include "agent/vpn/net_text.h"
#include "common/crypto/digest.h"

namespace trellis::agent {
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
// raise SIGPIPE and kill the agent. Blocks it on this thread for the probe
// and discards one raised meanwhile.
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

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "connection closed";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

}  // namespace

absl::StatusOr<std::string> TlsBeaconProber::LeafCertificateSha256(
    absl::string_view address, absl::Duration timeout) {
  auto endpoint = ParseEndpoint(address);
  if (!endpoint.ok()) return endpoint.status();
  const absl::Time deadline = absl::Now() + timeout;
  SigpipeGuard no_sigpipe;
  auto failed = [&](absl::StatusCode code, absl::string_view why) {
    return absl::Status(code, absl::StrCat("beacon ", address, ": ", why));
  };

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = absl::StrCat(endpoint->port);
  int rc = ::getaddrinfo(endpoint->host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    return failed(absl::StatusCode::kUnavailable,
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
    return failed(
        connected.status().code(),
        absl::StrCat("cannot connect: ", connected.status().message()));
  }
  Fd fd(*connected);

  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return failed(absl::StatusCode::kInternal, OpenSslError());
  // The pin decides trust, not a CA: the beacon's certificate may be
  // self-signed or expired.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd.get()) != 1) {
    return failed(absl::StatusCode::kInternal, OpenSslError());
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
      return failed(absl::StatusCode::kUnavailable,
                    absl::StrCat("TLS handshake failed: ", OpenSslError()));
    }
    if (!WaitFor(fd.get(), events, deadline)) {
      return failed(absl::StatusCode::kDeadlineExceeded,
                    "TLS handshake timed out");
    }
  }
  std::unique_ptr<X509, X509Free> leaf(SSL_get1_peer_certificate(ssl.get()));
  if (!leaf) {
    return failed(absl::StatusCode::kUnavailable, "sent no certificate");
  }
  unsigned char* der = nullptr;
  int der_len = i2d_X509(leaf.get(), &der);
  if (der_len <= 0) return failed(absl::StatusCode::kInternal, OpenSslError());
  std::string digest = crypto::Sha256(
      absl::string_view(reinterpret_cast<const char*>(der), der_len));
  OPENSSL_free(der);
  return digest;
}

}  // namespace trellis::agent
