// Appending to the audit hash chain (audit_chain.h). The store only reads
// and inserts entries; linking each entry to the one before it is done here.
#ifndef TRELLIS_SERVER_AUDIT_AUDIT_LOG_H_
#define TRELLIS_SERVER_AUDIT_AUDIT_LOG_H_

#include "absl/status/statusor.h"
#include "server/store/records.h"
#include "server/store/store.h"

namespace trellis::server {

// Appends `entry` (time, actor, action, target, details) to the chain in
// the caller's write: reads the head, assigns the next sequence, links and
// hashes the entry, and inserts it. Being one write transaction, two
// writers (even in two processes) cannot both link to the same head.
// Returns the stored record.
absl::StatusOr<AuditRecord> AppendAudit(StoreWriter& w, AuditRecord entry);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_AUDIT_AUDIT_LOG_H_
