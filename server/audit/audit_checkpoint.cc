#include "server/audit/audit_checkpoint.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/crypto/ed25519.h"
#include "common/util/encoding.h"
#include "common/util/files.h"
#include "common/util/time_format.h"

namespace trellis::server {
namespace {

constexpr absl::string_view kTag = "trellis-audit-checkpoint-v1";

}  // namespace

std::string AuditCheckpointMessage(const AuditCheckpoint& c) {
  return absl::StrCat(kTag, "\n", c.count, "\n", HexEncode(c.head_hash), "\n",
                      absl::ToUnixMicros(c.time), "\n", c.key_id, "\n");
}

absl::StatusOr<AuditCheckpoint> SignAuditCheckpoint(
    uint64_t count, std::string head_hash, absl::Time time,
    const std::string& private_key_pem) {
  auto public_key = crypto::Ed25519PublicKey(private_key_pem);
  if (!public_key.ok()) return public_key.status();
  auto key_id = crypto::Ed25519KeyId(*public_key);
  if (!key_id.ok()) return key_id.status();
  AuditCheckpoint c;
  c.count = count;
  c.head_hash = std::move(head_hash);
  // Microseconds are what the line keeps, so what is signed matches it.
  c.time = absl::FromUnixMicros(absl::ToUnixMicros(time));
  c.key_id = *std::move(key_id);
  auto signature =
      crypto::Ed25519Sign(AuditCheckpointMessage(c), private_key_pem);
  if (!signature.ok()) return signature.status();
  c.signature = *std::move(signature);
  return c;
}

absl::Status VerifyAuditCheckpoint(const AuditCheckpoint& c,
                                   const std::string& public_key_pem) {
  absl::Status s = crypto::Ed25519Verify(AuditCheckpointMessage(c), c.signature,
                                         public_key_pem);
  if (absl::IsPermissionDenied(s)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the audit checkpoint of ", Rfc3339(c.time), " (", c.count,
        " entries) is not signed by this server's audit-signing key "
        "(forged or damaged)"));
  }
  return s;
}

std::string FormatAuditCheckpoint(const AuditCheckpoint& c) {
  return absl::StrCat(kTag, " ", c.count, " ", HexEncode(c.head_hash), " ",
                      absl::ToUnixMicros(c.time), " ", c.key_id, " ",
                      HexEncode(c.signature));
}

absl::StatusOr<AuditCheckpoint> ParseAuditCheckpoint(absl::string_view line,
                                                     int line_number) {
  auto bad = [&](absl::string_view why) {
    return absl::DataLossError(
        absl::StrCat(kAuditCheckpointFile, " line ", line_number, ": ", why));
  };
  std::vector<absl::string_view> f = absl::StrSplit(line, ' ');
  if (f.size() != 6 || f[0] != kTag) {
    return bad(absl::StrCat("expected \"", kTag,
                            " COUNT HEAD_HASH MICROS KEY_ID SIGNATURE\""));
  }
  AuditCheckpoint c;
  int64_t micros = 0;
  if (!absl::SimpleAtoi(f[1], &c.count)) return bad("COUNT is not a number");
  std::optional<std::string> hash = HexDecode(f[2]);
  if (!hash || hash->size() != 32) return bad("HEAD_HASH is not 32 hex bytes");
  if (!absl::SimpleAtoi(f[3], &micros)) return bad("MICROS is not a number");
  std::optional<std::string> signature = HexDecode(f[5]);
  if (!signature || signature->size() != 64) {
    return bad("SIGNATURE is not 64 hex bytes");
  }
  c.head_hash = *std::move(hash);
  c.time = absl::FromUnixMicros(micros);
  c.key_id = std::string(f[4]);
  c.signature = *std::move(signature);
  return c;
}

absl::StatusOr<std::vector<AuditCheckpoint>> ReadAuditCheckpoints(
    const std::string& path) {
  std::vector<AuditCheckpoint> out;
  if (!FileExists(path)) return out;
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  int number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++number;
    if (line.empty()) continue;
    auto c = ParseAuditCheckpoint(line, number);
    if (!c.ok()) return c.status();
    out.push_back(*std::move(c));
  }
  return out;
}

absl::Status WriteAuditCheckpoints(const std::string& path,
                                   std::vector<AuditCheckpoint> earlier,
                                   const AuditCheckpoint& checkpoint) {
  earlier.push_back(checkpoint);
  size_t first = earlier.size() > kMaxAuditCheckpoints
                     ? earlier.size() - kMaxAuditCheckpoints
                     : 0;
  std::string text;
  for (size_t i = first; i < earlier.size(); ++i) {
    absl::StrAppend(&text, FormatAuditCheckpoint(earlier[i]), "\n");
  }
  return WriteFileAtomic(path, text, 0644);
}

}  // namespace trellis::server
