#include "server/audit/audit_chain.h"

#include "absl/strings/str_cat.h"
#include "common/crypto/digest.h"
#include "common/util/encoding.h"

namespace trellis::server {
namespace {

void AppendField(std::string* out, absl::string_view field) {
  uint64_t n = field.size();
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(n >> (8 * i)));
  out->append(field.data(), field.size());
}

}  // namespace

std::string GenesisAuditHash() { return std::string(32, '\0'); }

std::string ComputeAuditHash(const AuditRecord& entry) {
  std::string buf;
  AppendField(&buf, "trellis-audit-v1");
  AppendField(&buf, entry.previous_hash);
  AppendField(&buf, absl::StrCat(entry.sequence));
  AppendField(&buf, absl::StrCat(absl::ToUnixMicros(entry.time)));
  AppendField(&buf, entry.actor);
  AppendField(&buf, entry.action);
  AppendField(&buf, entry.target);
  AppendField(&buf, entry.details_json);
  return crypto::Sha256(buf);
}

bool AuditChainVerifier::Add(const AuditRecord& entry) {
  if (!verdict_.intact) return false;
  auto fail = [&](std::string why) {
    verdict_.intact = false;
    verdict_.first_bad_sequence = entry.sequence;
    verdict_.problem = std::move(why);
    return false;
  };
  if (entry.sequence != expected_sequence_) {
    return fail(absl::StrCat("expected entry ", expected_sequence_, ", found ",
                             entry.sequence, " (entries missing)"));
  }
  if (entry.previous_hash != previous_hash_) {
    return fail(absl::StrCat("entry ", entry.sequence,
                             " does not link to the entry before it"));
  }
  if (ComputeAuditHash(entry) != entry.hash) {
    return fail(absl::StrCat("entry ", entry.sequence,
                             " was altered: its hash does not match its "
                             "content (stored ",
                             HexEncode(entry.hash).substr(0, 16), "...)"));
  }
  previous_hash_ = entry.hash;
  ++expected_sequence_;
  ++verdict_.entries_checked;
  return true;
}

}  // namespace trellis::server
