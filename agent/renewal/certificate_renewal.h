// Certificates are short-lived; the agent renews at half their lifetime
// with a fresh key, over mutual TLS with the certificate it still has.
#ifndef TRELLIS_AGENT_RENEWAL_CERTIFICATE_RENEWAL_H_
#define TRELLIS_AGENT_RENEWAL_CERTIFICATE_RENEWAL_H_

#include "absl/status/statusor.h"
#include "agent/state/agent_state.h"
#include "common/crypto/pki.h"

namespace trellis::agent {

// True from the midpoint of the certificate's validity on.
bool RenewalDue(const crypto::CertificateInfo& cert, absl::Time now);

// If the current certificate is due (by `now`), renews it. Returns true
// when it renewed.
absl::StatusOr<bool> RenewIfDue(const AgentState& state,
                                const AgentRecord& record, absl::Time now,
                                absl::Duration timeout);

// Renews unconditionally.
absl::Status RenewCertificate(const AgentState& state,
                              const AgentRecord& record,
                              absl::Duration timeout);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_RENEWAL_CERTIFICATE_RENEWAL_H_
