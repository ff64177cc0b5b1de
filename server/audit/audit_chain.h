// The audit log is a hash chain: each entry's hash covers its own fields and
// the previous entry's hash, so editing, deleting or reordering any entry
// breaks every hash after it. Deleting the tail, or rewriting an entry and
// recomputing every hash after it, is caught against signed checkpoints
// (audit_checkpoint.h).
#ifndef TRELLIS_SERVER_AUDIT_AUDIT_CHAIN_H_
#define TRELLIS_SERVER_AUDIT_AUDIT_CHAIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "server/audit/audit_checkpoint.h"
#include "server/store/records.h"

namespace trellis::server {

// The previous hash of the very first entry.
std::string GenesisAuditHash();

// SHA-256 over previous_hash and length-prefixed fields of `entry`
// (sequence, time in microseconds, actor, action, target, details).
std::string ComputeAuditHash(const AuditRecord& entry);

struct AuditChainVerdict {
  bool intact = true;
  uint64_t entries_checked = 0;
  uint64_t first_bad_sequence = 0;
  std::string problem;
  // Entries are missing at the end: fewer than a signed checkpoint covers.
  bool truncated = false;
  // The newest checkpoint the chain was held against (count 0: none).
  AuditCheckpoint checkpoint;
};

// Incremental verifier, so a long log can be checked page by page.
class AuditChainVerifier {
 public:
  // From the first entry.
  AuditChainVerifier() = default;
  // From the entry after `sequence`, whose hash is already trusted.
  AuditChainVerifier(uint64_t sequence, std::string hash);

  // Signed checkpoints (signatures already verified) the chain must agree
  // with: the entry at each checkpoint's count has its head hash.
  void ExpectCheckpoints(std::vector<AuditCheckpoint> checkpoints);

  // Feeds the next entry; returns false once the chain is broken.
  bool Add(const AuditRecord& entry);
  // After the last entry: a checkpoint beyond it means the tail was cut.
  const AuditChainVerdict& Finish();
  const AuditChainVerdict& verdict() const { return verdict_; }
  // The last entry accepted (or where the verifier started) and its hash.
  uint64_t last_sequence() const { return expected_sequence_ - 1; }
  const std::string& last_hash() const { return previous_hash_; }

 private:
  bool Fail(uint64_t sequence, std::string problem);

  AuditChainVerdict verdict_;
  uint64_t expected_sequence_ = 1;
  std::string previous_hash_ = GenesisAuditHash();
  std::vector<AuditCheckpoint> checkpoints_;  // by count
  size_t next_checkpoint_ = 0;
  uint64_t last_matched_count_ = 0;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_AUDIT_AUDIT_CHAIN_H_
