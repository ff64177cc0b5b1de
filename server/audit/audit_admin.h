// Reading and verifying the audit log for operators.
#ifndef TRELLIS_SERVER_AUDIT_AUDIT_ADMIN_H_
#define TRELLIS_SERVER_AUDIT_AUDIT_ADMIN_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/audit/audit_chain.h"
#include "server/store/store.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::server {

// Where signed checkpoints of the chain are, and the key that signs them.
struct AuditCheckpoints {
  std::string path;
  std::string public_key_pem;
};

absl::StatusOr<v1::ListAuditEventsResponse> ListAuditEvents(
    Store& store, const v1::ListAuditEventsRequest& request);

// Walks the whole chain page by page and, with `checkpoints`, holds it
// against every signed checkpoint: a tail deleted (fewer entries than
// checkpointed) or entries rewritten with recomputed hashes (a different
// hash at a checkpointed count) break it, as does a checkpoint file that is
// damaged or not signed by the audit-signing key.
absl::StatusOr<AuditChainVerdict> VerifyAuditLog(
    Store& store, const AuditCheckpoints* checkpoints = nullptr);

// The signed checkpoints and the public key that verifies them, for
// operators to keep or check elsewhere.
absl::StatusOr<v1::ListAuditCheckpointsResponse> ListAuditCheckpoints(
    const AuditCheckpoints& checkpoints);

// Pages through entries after `after_sequence` into `verifier` until it
// breaks or the chain ends.
absl::Status FeedAuditEntries(StoreReader& reader, uint64_t after_sequence,
                              AuditChainVerifier& verifier);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_AUDIT_AUDIT_ADMIN_H_
