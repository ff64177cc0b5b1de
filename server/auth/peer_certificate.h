// Reads the verified client certificate gRPC attached to a call.
#ifndef TRELLIS_SERVER_AUTH_PEER_CERTIFICATE_H_
#define TRELLIS_SERVER_AUTH_PEER_CERTIFICATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/crypto/pki.h"
#include "grpcpp/security/auth_context.h"

namespace trellis::server {

// Unauthenticated when the peer presented no certificate. gRPC has already
// checked the chain against our CA and the validity period.
absl::StatusOr<crypto::CertificateInfo> PeerCertificate(
    const grpc::AuthContext& auth);

// "ipv4:127.0.0.1:5555" -> "ipv4:127.0.0.1": the address without its port,
// so attempts from one host share a rate limit.
std::string PeerHost(const std::string& grpc_peer);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_AUTH_PEER_CERTIFICATE_H_
