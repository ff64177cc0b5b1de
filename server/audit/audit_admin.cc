#include "server/audit/audit_admin.h"

#include "absl/strings/str_cat.h"
#include "common/crypto/ed25519.h"
#include "common/rpc/admin_limits.h"
#include "common/util/encoding.h"
#include "common/util/proto_time.h"

namespace trellis::server {
namespace {

AuditChainVerdict Broken(std::string problem) {
  AuditChainVerdict v;
  v.intact = false;
  v.problem = std::move(problem);
  return v;
}

}  // namespace

absl::StatusOr<v1::ListAuditEventsResponse> ListAuditEvents(
    Store& store, const v1::ListAuditEventsRequest& request) {
  int limit = request.limit() == 0 ? 100 : request.limit();
  if (limit < 0 || limit > rpc::kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit must be 0..", rpc::kMaxPageSize));
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

absl::Status FeedAuditEntries(StoreReader& reader, uint64_t after_sequence,
                              AuditChainVerifier& verifier) {
  uint64_t after = after_sequence;
  while (true) {
    auto page = reader.ListAudit(after, 1000);
    if (!page.ok()) return page.status();
    if (page->empty()) return absl::OkStatus();
    for (const AuditRecord& a : *page) {
      if (!verifier.Add(a)) return absl::OkStatus();
    }
    after = page->back().sequence;
  }
}

absl::StatusOr<AuditChainVerdict> VerifyAuditLog(
    Store& store, const AuditCheckpoints* checkpoints) {
  AuditChainVerifier verifier;
  if (checkpoints != nullptr) {
    auto signed_heads = ReadAuditCheckpoints(checkpoints->path);
    if (!signed_heads.ok()) {
      return Broken(std::string(signed_heads.status().message()));
    }
    for (const AuditCheckpoint& c : *signed_heads) {
      absl::Status genuine =
          VerifyAuditCheckpoint(c, checkpoints->public_key_pem);
      if (!genuine.ok()) return Broken(std::string(genuine.message()));
    }
    verifier.ExpectCheckpoints(*std::move(signed_heads));
  }
  absl::Status s = store.Read(
      [&](StoreReader& r) { return FeedAuditEntries(r, 0, verifier); });
  if (!s.ok()) return s;
  return verifier.Finish();
}

absl::StatusOr<v1::ListAuditCheckpointsResponse> ListAuditCheckpoints(
    const AuditCheckpoints& checkpoints) {
  auto signed_heads = ReadAuditCheckpoints(checkpoints.path);
  if (!signed_heads.ok()) return signed_heads.status();
  v1::ListAuditCheckpointsResponse response;
  response.set_public_key_pem(checkpoints.public_key_pem);
  auto key_id = crypto::Ed25519KeyId(checkpoints.public_key_pem);
  if (!key_id.ok()) return key_id.status();
  response.set_key_id(*key_id);
  for (const AuditCheckpoint& c : *signed_heads) {
    v1::AuditCheckpoint* out = response.add_checkpoints();
    out->set_entries(c.count);
    out->set_head_hash_hex(HexEncode(c.head_hash));
    *out->mutable_time() = ToProtoTime(c.time);
    out->set_key_id(c.key_id);
    out->set_signature_hex(HexEncode(c.signature));
    out->set_line(FormatAuditCheckpoint(c));
  }
  return response;
}

}  // namespace trellis::server
