#include "agent/enroll/ca_pinning.h"

#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "common/util/encoding.h"

namespace trellis::agent {
namespace {

struct SslCtxFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};
struct SslFree {
  void operator()(SSL* p) const { SSL_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};

// Splits "host:port" and "[v6]:port".
absl::Status SplitHostPort(const std::string& address, std::string* host,
                           std::string* port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("server address '", address, "' has no port"));
  }
  *host = address.substr(0, colon);
  *port = address.substr(colon + 1);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  return absl::OkStatus();
}

// Connects with a deadline; returns the socket or an error naming the peer.
absl::StatusOr<int> ConnectWithTimeout(const std::string& address,
                                       absl::Duration timeout) {
  std::string host, port;
  absl::Status split = SplitHostPort(address, &host, &port);
  if (!split.ok()) return split;
  struct addrinfo hints = {};
  hints.ai_socktype = SOCK_STREAM;
  struct addrinfo* res = nullptr;
  int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot resolve ", address, ": ", gai_strerror(rc)));
  }
  std::unique_ptr<struct addrinfo, decltype(&freeaddrinfo)> guard(res,
                                                                  freeaddrinfo);
  std::string last_error = "no address";
  int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  for (struct addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    int fd =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                 ai->ai_protocol);
    if (fd < 0) continue;
    int c = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (c != 0 && errno == EINPROGRESS) {
      struct pollfd p = {fd, POLLOUT, 0};
      if (::poll(&p, 1, timeout_ms) == 1) {
        int err = 0;
        socklen_t len = sizeof(err);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        c = err == 0 ? 0 : -1;
        errno = err;
      } else {
        errno = ETIMEDOUT;
      }
    }
    if (c == 0) {
      // Back to blocking with timeouts for the handshake.
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      struct timeval tv = absl::ToTimeval(timeout);
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
      return fd;
    }
    last_error = std::strerror(errno);
    ::close(fd);
  }
  return absl::UnavailableError(
      absl::StrCat("cannot connect to ", address, ": ", last_error));
}

std::string ShortFingerprint(const std::string& raw) {
  return absl::StrCat("sha256:", HexEncode(raw).substr(0, 16), "...");
}

}  // namespace

absl::StatusOr<std::string> FetchServerChain(const std::string& address,
                                             absl::Duration timeout) {
  auto fd = ConnectWithTimeout(address, timeout);
  if (!fd.ok()) return fd.status();
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    ::close(*fd);
    return absl::InternalError("cannot create a TLS context");
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  // Nothing is trusted yet: the chain is judged by SelectPinnedCa.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  // gRPC servers insist on ALPN h2.
  static const unsigned char kAlpn[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(ctx.get(), kAlpn, sizeof(kAlpn));
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), *fd);
  std::string host, port;
  SplitHostPort(address, &host, &port).IgnoreError();
  SSL_set_tlsext_host_name(ssl.get(), host.c_str());
  int rc = SSL_connect(ssl.get());
  if (rc != 1) {
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
    ERR_clear_error();
    ::close(*fd);
    return absl::UnavailableError(absl::StrCat("TLS handshake with ", address,
                                               " failed: ", buf,
                                               " (is this a Trellis server?)"));
  }
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get());
  std::string pem;
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), sk_X509_value(chain, i));
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    pem.append(data, static_cast<size_t>(n));
  }
  SSL_shutdown(ssl.get());
  ::close(*fd);
  if (pem.empty()) {
    return absl::UnavailableError(
        absl::StrCat(address, " presented no certificate"));
  }
  return pem;
}

absl::StatusOr<std::string> SelectPinnedCa(const std::string& chain_pem,
                                           const std::string& fingerprint,
                                           absl::Time now) {
  std::vector<std::string> certs = crypto::SplitPemCertificates(chain_pem);
  if (certs.empty()) {
    return absl::UnavailableError("the server presented no certificate");
  }
  std::string seen;
  for (const std::string& cert : certs) {
    auto fp = crypto::CertificateFingerprintSha256(cert);
    if (!fp.ok()) continue;
    if (*fp != fingerprint) {
      absl::StrAppend(&seen, seen.empty() ? "" : ", ", ShortFingerprint(*fp));
      continue;
    }
    absl::Status issued = crypto::VerifyIssuedBy(certs.front(), cert, now);
    if (!issued.ok()) {
      return absl::PermissionDeniedError(absl::StrCat(
          "the server's certificate was not issued by the pinned CA: ",
          issued.message()));
    }
    return cert;
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "refusing to enrol: the server presented CA ", seen,
      " but the enrolment token pins CA ", ShortFingerprint(fingerprint),
      " (wrong server address, or someone in between)"));
}

absl::StatusOr<std::string> FetchPinnedCa(const std::string& address,
                                          const std::string& fingerprint,
                                          absl::Duration timeout) {
  auto chain = FetchServerChain(address, timeout);
  if (!chain.ok()) return chain.status();
  return SelectPinnedCa(*chain, fingerprint, absl::Now());
}

}  // namespace trellis::agent
