// First contact with a server: a TLS handshake that trusts nothing yet,
// followed by a check that the chain the server sent contains the CA whose
// SHA-256 fingerprint the enrolment token carries, and that the server's
// certificate was issued by that CA. Only then is the CA used as the trust
// root for gRPC. No trust on first use.
#ifndef TRELLIS_AGENT_ENROLL_CA_PINNING_H_
#define TRELLIS_AGENT_ENROLL_CA_PINNING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace trellis::agent {

// The certificates the server at `address` (host:port) presents, as PEM.
absl::StatusOr<std::string> FetchServerChain(const std::string& address,
                                             absl::Duration timeout);

// Picks the pinned CA out of `chain_pem` and checks the leaf against it.
// PermissionDenied, naming both fingerprints, when the CA does not match.
absl::StatusOr<std::string> SelectPinnedCa(const std::string& chain_pem,
                                           const std::string& fingerprint,
                                           absl::Time now);

// Both of the above.
absl::StatusOr<std::string> FetchPinnedCa(const std::string& address,
                                          const std::string& fingerprint,
                                          absl::Duration timeout);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_ENROLL_CA_PINNING_H_
