// The audit log is a hash chain: each entry's hash covers its own fields and
// the previous entry's hash, so editing, deleting or reordering any entry
// breaks every hash after it.
#ifndef TRELLIS_SERVER_AUDIT_AUDIT_CHAIN_H_
#define TRELLIS_SERVER_AUDIT_AUDIT_CHAIN_H_

#include <cstdint>
#include <string>
#include <vector>

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
};

// Incremental verifier, so a long log can be checked page by page.
class AuditChainVerifier {
 public:
  // Feeds the next entry; returns false once the chain is broken.
  bool Add(const AuditRecord& entry);
  const AuditChainVerdict& verdict() const { return verdict_; }

 private:
  AuditChainVerdict verdict_;
  uint64_t expected_sequence_ = 1;
  std::string previous_hash_ = GenesisAuditHash();
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_AUDIT_AUDIT_CHAIN_H_
