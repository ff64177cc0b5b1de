#include "agent/enroll/ca_pinning.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/crypto/pki.h"
#include "common/net/tls_peer_certificate.h"
#include "common/util/encoding.h"

namespace trellis::agent {
namespace {

std::string ShortFingerprint(const std::string& raw) {
  return absl::StrCat("sha256:", HexEncode(raw).substr(0, 16), "...");
}

}  // namespace

absl::StatusOr<std::string> FetchServerChain(const std::string& address,
                                             absl::Duration timeout) {
  net::TlsPeerOptions options;
  options.timeout = timeout;
  // gRPC servers insist on ALPN h2.
  options.alpn = "h2";
  // Nothing is trusted yet: the chain is judged by SelectPinnedCa.
  absl::StatusOr<std::vector<std::string>> chain =
      net::FetchPeerCertificates(address, options);
  if (!chain.ok()) {
    absl::string_view hint =
        absl::StartsWith(chain.status().message(), "TLS handshake failed")
            ? " (is this a Trellis server?)"
            : "";
    return absl::Status(
        chain.status().code(),
        absl::StrCat("server ", address, ": ", chain.status().message(), hint));
  }
  return absl::StrJoin(*chain, "");
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
