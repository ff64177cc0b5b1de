// Signed checkpoints of the audit chain head, kept outside the database.
//
// The hash chain alone cannot show that its tail was deleted (the next entry
// simply reuses the number) nor that someone with write access to the
// database rewrote an entry and recomputed every hash after it. A checkpoint
// is the server's Ed25519 signature over (entry count, hash of that entry,
// time), made with the audit-signing key in the state directory; the chain
// must still contain that entry with that hash. The hash covers every entry
// before it, so the newest checkpoint vouches for the whole prefix.
//
// File: <state>/audit-checkpoints, one checkpoint per line, oldest first,
// replaced atomically (temporary file, fsync, rename):
//   trellis-audit-checkpoint-v1 COUNT HEAD_HASH_HEX UNIX_MICROS KEY_ID SIG_HEX
#ifndef TRELLIS_SERVER_AUDIT_AUDIT_CHECKPOINT_H_
#define TRELLIS_SERVER_AUDIT_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace trellis::server {

struct AuditCheckpoint {
  uint64_t count = 0;     // entries 1..count are covered
  std::string head_hash;  // raw 32 bytes: the hash of entry `count`
  absl::Time time;
  std::string key_id;     // "sha256:..." of the audit-signing public key
  std::string signature;  // raw 64-byte Ed25519 signature
};

// File name inside the state directory.
inline constexpr char kAuditCheckpointFile[] = "audit-checkpoints";
// Older checkpoints are dropped beyond this many; the newest one vouches
// for every entry before it.
inline constexpr size_t kMaxAuditCheckpoints = 1000;

// The bytes that are signed.
std::string AuditCheckpointMessage(const AuditCheckpoint& checkpoint);

absl::StatusOr<AuditCheckpoint> SignAuditCheckpoint(
    uint64_t count, std::string head_hash, absl::Time time,
    const std::string& private_key_pem);

// PermissionDenied naming the checkpoint when the signature does not verify
// with `public_key_pem`.
absl::Status VerifyAuditCheckpoint(const AuditCheckpoint& checkpoint,
                                   const std::string& public_key_pem);

std::string FormatAuditCheckpoint(const AuditCheckpoint& checkpoint);
// DataLoss naming line `line_number` and what is wrong.
absl::StatusOr<AuditCheckpoint> ParseAuditCheckpoint(absl::string_view line,
                                                     int line_number);

// All checkpoints in the file, oldest first; none when it does not exist.
absl::StatusOr<std::vector<AuditCheckpoint>> ReadAuditCheckpoints(
    const std::string& path);
// Adds `checkpoint` after `earlier` (keeping the newest
// kMaxAuditCheckpoints) and replaces the file atomically.
absl::Status WriteAuditCheckpoints(const std::string& path,
                                   std::vector<AuditCheckpoint> earlier,
                                   const AuditCheckpoint& checkpoint);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_AUDIT_AUDIT_CHECKPOINT_H_
