#include "server/auth/peer_certificate.h"

#include "grpc/grpc_security_constants.h"

namespace trellis::server {

absl::StatusOr<crypto::CertificateInfo> PeerCertificate(
    const grpc::AuthContext& auth) {
  std::vector<grpc::string_ref> pem =
      auth.FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pem.empty()) {
    return absl::UnauthenticatedError(
        "this call needs a client certificate issued by this server");
  }
  auto info = crypto::ParseCertificate(
      std::string(pem.front().data(), pem.front().size()));
  if (!info.ok()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "client certificate cannot be read: ", info.status().message()));
  }
  return info;
}

std::string PeerHost(const std::string& grpc_peer) {
  // IPv6 peers look like "ipv6:[::1]:5555"; both forms end in ":port".
  size_t colon = grpc_peer.rfind(':');
  size_t scheme = grpc_peer.find(':');
  if (colon == std::string::npos || colon == scheme) return grpc_peer;
  return grpc_peer.substr(0, colon);
}

}  // namespace trellis::server
