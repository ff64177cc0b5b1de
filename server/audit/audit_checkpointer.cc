#include "server/audit/audit_checkpointer.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/crypto/ed25519.h"
#include "common/util/logging.h"
#include "server/audit/audit_admin.h"
#include "server/audit/audit_chain.h"
#include "server/audit/audit_checkpoint.h"

namespace trellis::server {

AuditCheckpointer::AuditCheckpointer(Store* store, const Clock* clock,
                                     std::string path,
                                     std::string private_key_pem)
    : store_(store),
      clock_(clock),
      path_(std::move(path)),
      private_key_pem_(std::move(private_key_pem)) {}

absl::Status AuditCheckpointer::CheckpointNow() {
  absl::MutexLock lock(&mu_);
  auto refuse = [&](absl::string_view why) {
    return absl::FailedPreconditionError(
        absl::StrCat("audit: not signing a checkpoint of the chain: ", why));
  };
  auto earlier = ReadAuditCheckpoints(path_);
  if (!earlier.ok()) return refuse(earlier.status().message());
  uint64_t from = 0;
  std::string from_hash = GenesisAuditHash();
  if (!earlier->empty()) {
    auto public_key = crypto::Ed25519PublicKey(private_key_pem_);
    if (!public_key.ok()) return public_key.status();
    absl::Status genuine = VerifyAuditCheckpoint(earlier->back(), *public_key);
    if (!genuine.ok()) return refuse(genuine.message());
    from = earlier->back().count;
    from_hash = earlier->back().head_hash;
  }
  // Only the entries after the newest checkpoint are read: they must link
  // to its head hash, which in turn covers everything before it.
  AuditChainVerifier verifier(from, from_hash);
  bool checkpointed_head_present = true;
  absl::Status read = store_->Read([&](StoreReader& r) -> absl::Status {
    if (from > 0) {
      auto head = r.ListAudit(from - 1, 1);
      if (!head.ok()) return head.status();
      checkpointed_head_present = !head->empty() &&
                                  head->front().sequence == from &&
                                  head->front().hash == from_hash;
    }
    return FeedAuditEntries(r, from, verifier);
  });
  if (!read.ok()) return read;
  if (!checkpointed_head_present) {
    return refuse(absl::StrCat("entry ", from,
                               " is missing or differs from the newest "
                               "signed checkpoint (deleted or rewritten); "
                               "run trellisctl audit verify"));
  }
  if (!verifier.verdict().intact) {
    return refuse(absl::StrCat("it does not extend the checkpoint of ", from,
                               " entries: ", verifier.verdict().problem));
  }
  if (verifier.last_sequence() == from) return absl::OkStatus();  // no news
  auto checkpoint =
      SignAuditCheckpoint(verifier.last_sequence(), verifier.last_hash(),
                          clock_->Now(), private_key_pem_);
  if (!checkpoint.ok()) return checkpoint.status();
  return WriteAuditCheckpoints(path_, *std::move(earlier), *checkpoint);
}

void AuditCheckpointer::Start(absl::Duration period) {
  thread_ = std::thread([this, period] {
    while (!stop_.WaitForNotificationWithTimeout(period)) {
      absl::Status s = CheckpointNow();
      if (!s.ok()) LogError("audit: checkpoint failed: ", s.message());
    }
  });
}

void AuditCheckpointer::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace trellis::server
