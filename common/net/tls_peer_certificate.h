// Reads the certificates a TLS server presents, before (or instead of)
// trusting it: nothing is verified here, the caller judges what came back
// (a pinned fingerprint, a pinned CA). TCP connect and handshake with
// OpenSSL, bounded by one deadline.
#ifndef TRELLIS_COMMON_NET_TLS_PEER_CERTIFICATE_H_
#define TRELLIS_COMMON_NET_TLS_PEER_CERTIFICATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace trellis::net {

struct TlsPeerOptions {
  // Covers connect and handshake; name resolution (getaddrinfo) is not
  // covered.
  absl::Duration timeout = absl::Seconds(10);
  // ALPN protocol to offer ("h2": gRPC servers insist on it); empty for
  // none.
  std::string alpn;
};

// The certificates the server at `address` ("host:port", "[v6]:port", see
// ParseEndpoint) presents, leaf first, as PEM. TLS 1.2 or later; SNI is
// sent when the host is a name. Errors do not name the address, so the
// caller can say what the peer is: InvalidArgument for a malformed
// address; Unavailable "cannot resolve: ...", "cannot connect: ...", "TLS
// handshake failed: ..." or "presented no certificate"; DeadlineExceeded
// "connect timed out" or "TLS handshake timed out".
absl::StatusOr<std::vector<std::string>> FetchPeerCertificates(
    absl::string_view address, const TlsPeerOptions& options);

}  // namespace trellis::net

#endif  // TRELLIS_COMMON_NET_TLS_PEER_CERTIFICATE_H_
