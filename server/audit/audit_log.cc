#include "server/audit/audit_log.h"

#include <optional>
#include <utility>

#include "absl/time/time.h"
#include "server/audit/audit_chain.h"

namespace trellis::server {

absl::StatusOr<AuditRecord> AppendAudit(StoreWriter& w, AuditRecord entry) {
  absl::StatusOr<std::optional<AuditHead>> head = w.GetAuditHead();
  if (!head.ok()) return head.status();
  entry.sequence = head->has_value() ? (*head)->sequence + 1 : 1;
  entry.previous_hash =
      head->has_value() ? std::move((*head)->hash) : GenesisAuditHash();
  // Microsecond precision is what the store keeps, so it is what is hashed
  // (a verifier recomputes the hash from the stored time).
  entry.time = absl::FromUnixMicros(absl::ToUnixMicros(entry.time));
  entry.hash = ComputeAuditHash(entry);
  absl::Status inserted = w.InsertAuditEntry(entry);
  if (!inserted.ok()) return inserted;
  return entry;
}

}  // namespace trellis::server
