#include "server/audit/audit_admin.h"

#include "common/util/encoding.h"
#include "common/util/proto_time.h"

namespace trellis::server {

absl::StatusOr<v1::ListAuditEventsResponse> ListAuditEvents(
    Store& store, const v1::ListAuditEventsRequest& request) {
  int limit = request.limit() == 0 ? 100 : request.limit();
  if (limit < 0 || limit > 1000) {
    return absl::InvalidArgumentError("limit must be 0..1000");
  }
  v1::ListAuditEventsResponse response;
  absl::Status s = store.Read([&](StoreReader& r) -> absl::Status {
    auto entries = r.ListAudit(request.after_sequence(), limit);
    if (!entries.ok()) return entries.status();
    for (const AuditRecord& a : *entries) {
      v1::AuditEvent* e = response.add_events();
      e->set_sequence(a.sequence);
      *e->mutable_time() = ToProtoTime(a.time);
      e->set_actor(a.actor);
      e->set_action(a.action);
      e->set_target(a.target);
      e->set_details_json(a.details_json);
      e->set_previous_hash_hex(HexEncode(a.previous_hash));
      e->set_hash_hex(HexEncode(a.hash));
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return response;
}

absl::StatusOr<AuditChainVerdict> VerifyAuditLog(Store& store) {
  AuditChainVerifier verifier;
  absl::Status s = store.Read([&](StoreReader& r) -> absl::Status {
    uint64_t after = 0;
    while (true) {
      auto page = r.ListAudit(after, 1000);
      if (!page.ok()) return page.status();
      if (page->empty()) return absl::OkStatus();
      for (const AuditRecord& a : *page) {
        if (!verifier.Add(a)) return absl::OkStatus();
      }
      after = page->back().sequence;
    }
  });
  if (!s.ok()) return s;
  return verifier.verdict();
}

}  // namespace trellis::server
