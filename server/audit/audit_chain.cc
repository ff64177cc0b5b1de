#include "server/audit/audit_chain.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/crypto/digest.h"
#include "common/util/encoding.h"
#include "common/util/time_format.h"

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

AuditChainVerifier::AuditChainVerifier(uint64_t sequence, std::string hash)
    : expected_sequence_(sequence + 1), previous_hash_(std::move(hash)) {}

void AuditChainVerifier::ExpectCheckpoints(
    std::vector<AuditCheckpoint> checkpoints) {
  std::stable_sort(checkpoints.begin(), checkpoints.end(),
                   [](const AuditCheckpoint& a, const AuditCheckpoint& b) {
                     return a.count < b.count;
                   });
  checkpoints_ = std::move(checkpoints);
  next_checkpoint_ = 0;
  // Checkpoints of entries before where this verifier starts (or of the
  // empty chain) have nothing left to check.
  while (next_checkpoint_ < checkpoints_.size() &&
         checkpoints_[next_checkpoint_].count < expected_sequence_) {
    ++next_checkpoint_;
  }
  if (!checkpoints_.empty()) verdict_.checkpoint = checkpoints_.back();
}

bool AuditChainVerifier::Fail(uint64_t sequence, std::string problem) {
  verdict_.intact = false;
  verdict_.first_bad_sequence = sequence;
  verdict_.problem = std::move(problem);
  return false;
}

bool AuditChainVerifier::Add(const AuditRecord& entry) {
  if (!verdict_.intact) return false;
  if (entry.sequence != expected_sequence_) {
    return Fail(entry.sequence,
                absl::StrCat("expected entry ", expected_sequence_, ", found ",
                             entry.sequence, " (entries missing)"));
  }
  if (entry.previous_hash != previous_hash_) {
    return Fail(entry.sequence,
                absl::StrCat("entry ", entry.sequence,
                             " does not link to the entry before it"));
  }
  if (ComputeAuditHash(entry) != entry.hash) {
    return Fail(entry.sequence,
                absl::StrCat("entry ", entry.sequence,
                             " was altered: its hash does not match its "
                             "content (stored ",
                             HexEncode(entry.hash).substr(0, 16), "...)"));
  }
  for (; next_checkpoint_ < checkpoints_.size() &&
         checkpoints_[next_checkpoint_].count == entry.sequence;
       ++next_checkpoint_) {
    const AuditCheckpoint& c = checkpoints_[next_checkpoint_];
    if (c.head_hash != entry.hash) {
      // Somewhere after the last checkpoint that matched, entries were
      // rewritten (hashes recomputed) or deleted and then replaced.
      return Fail(last_matched_count_ + 1,
                  absl::StrCat(
                      "entries ", last_matched_count_ + 1, "..", entry.sequence,
                      " do not match the signed checkpoint of ",
                      Rfc3339(c.time), ": entry ", entry.sequence, " has hash ",
                      HexEncode(entry.hash).substr(0, 16),
                      "..., the checkpoint signed ",
                      HexEncode(c.head_hash).substr(0, 16),
                      "... (rewritten with recomputed hashes, or deleted "
                      "and replaced)"));
    }
    last_matched_count_ = c.count;
  }
  previous_hash_ = entry.hash;
  ++expected_sequence_;
  ++verdict_.entries_checked;
  return true;
}

const AuditChainVerdict& AuditChainVerifier::Finish() {
  if (verdict_.intact && next_checkpoint_ < checkpoints_.size()) {
    const AuditCheckpoint& c = checkpoints_.back();
    uint64_t last = expected_sequence_ - 1;
    verdict_.truncated = true;
    Fail(last + 1,
         absl::StrCat("the chain ends at entry ", last,
                      " but the signed checkpoint of ", Rfc3339(c.time),
                      " covers ", c.count, " entries: entries ", last + 1, "..",
                      c.count, " were deleted"));
  }
  return verdict_;
}

}  // namespace trellis::server
