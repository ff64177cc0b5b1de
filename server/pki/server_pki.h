// The server's key material in its state directory:
//   ca.crt, ca.key (0600)         the device/operator CA, made on first start
//   server.crt, server.key (0600) the TLS certificate, reissued when the
//                                 configured names change or it nears expiry
//   policy-signing.key (0600)     Ed25519 key that signs policy bundles,
//                                 kept apart from the CA on purpose
//   audit-signing.key (0600)      Ed25519 key that signs audit checkpoints;
//                                 apart from the policy key, which agents
//                                 obey, so each signature has one meaning
#ifndef TRELLIS_SERVER_PKI_SERVER_PKI_H_
#define TRELLIS_SERVER_PKI_SERVER_PKI_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/crypto/ed25519.h"
#include "common/crypto/pki.h"
#include "common/policy/bundle_signing.h"
#include "common/util/clock.h"

namespace trellis::server {

struct ServerPki {
  crypto::CertificateAuthority ca;
  std::string ca_fingerprint_sha256;  // raw 32 bytes
  std::string server_cert_pem;
  std::string server_key_pem;
  policy::SigningKeyPair policy_signing;
  crypto::Ed25519KeyPair audit_signing;
};

absl::StatusOr<ServerPki> LoadOrCreateServerPki(
    const std::string& state_dir, const std::vector<std::string>& dns_names,
    const std::vector<std::string>& ip_addresses, const Clock& clock);

// Only loads the CA (for `operator create`, which must not rotate anything).
absl::StatusOr<crypto::CertificateAuthority> LoadCa(
    const std::string& state_dir);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_PKI_SERVER_PKI_H_
