// Reading and verifying the audit log for operators.
#ifndef TRELLIS_SERVER_AUDIT_AUDIT_ADMIN_H_
#define TRELLIS_SERVER_AUDIT_AUDIT_ADMIN_H_

#include "absl/status/statusor.h"
#include "server/audit/audit_chain.h"
#include "server/store/store.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::server {

absl::StatusOr<v1::ListAuditEventsResponse> ListAuditEvents(
    Store& store, const v1::ListAuditEventsRequest& request);

// Walks the whole chain page by page.
absl::StatusOr<AuditChainVerdict> VerifyAuditLog(Store& store);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_AUDIT_AUDIT_ADMIN_H_
