// Signed checkpoints of the audit chain head catch what the hash chain
// alone cannot: a deleted tail, and entries rewritten by someone who can
// write the database and recompute every hash after them.
#include "server/audit/audit_checkpoint.h"

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/crypto/ed25519.h"
#include "common/util/clock.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/audit/audit_admin.h"
#include "server/audit/audit_chain.h"
#include "server/audit/audit_checkpointer.h"
#include "server/audit/audit_log.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

class AuditCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = crypto::GenerateEd25519Key();
    ASSERT_TRUE(key.ok()) << key.status();
    key_ = *std::move(key);
    checkpoints_ = {dir_.File(kAuditCheckpointFile), key_.public_key_pem};
    Open();
  }

  void Open() {
    checkpointer_.reset();
    store_.reset();
    auto store = SqliteStore::Open({path_});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    checkpointer_ = std::make_unique<AuditCheckpointer>(
        store_.get(), &clock_, checkpoints_.path, key_.private_key_pem);
  }

  void Append(int n) {
    absl::Status s = store_->WriteSync([&](StoreWriter& w) -> absl::Status {
      for (int i = 0; i < n; ++i) {
        AuditRecord e;
        e.time = clock_.Now();
        e.actor = "operator:alice";
        e.action = "device.revoke";
        e.target = absl::StrCat("device-", next_++);
        e.details_json = "{}";
        auto appended = AppendAudit(w, e);
        if (!appended.ok()) return appended.status();
      }
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
    clock_.Advance(absl::Minutes(1));
  }

  void Checkpoint() {
    absl::Status s = checkpointer_->CheckpointNow();
    ASSERT_TRUE(s.ok()) << s;
  }

  AuditChainVerdict Verify(bool with_checkpoints = true) {
    auto v =
        VerifyAuditLog(*store_, with_checkpoints ? &checkpoints_ : nullptr);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : AuditChainVerdict{};
  }

  // Runs SQL on the real database file, with the server closed, as someone
  // with write access to it would.
  void Tamper(const std::function<void(sqlite3*)>& edit) {
    checkpointer_.reset();
    store_.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    edit(db);
    sqlite3_close(db);
    Open();
  }

  std::vector<AuditRecord> Entries() {
    std::vector<AuditRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      auto all = r.ListAudit(0, 1000);
                      if (!all.ok()) return all.status();
                      out = *std::move(all);
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  testing::TempDir dir_;
  const std::string path_ = dir_.File("trellis.db");
  FakeClock clock_;
  crypto::Ed25519KeyPair key_;
  AuditCheckpoints checkpoints_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<AuditCheckpointer> checkpointer_;
  int next_ = 1;
};

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (err ? err : "");
  sqlite3_free(err);
}

TEST_F(AuditCheckpointTest, IntactChainPassesAgainstItsCheckpoints) {
  Append(3);
  Checkpoint();
  Append(3);
  Checkpoint();
  Append(2);  // not yet checkpointed: still fine
  AuditChainVerdict v = Verify();
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_FALSE(v.truncated);
  EXPECT_EQ(v.entries_checked, 8u);
  EXPECT_EQ(v.checkpoint.count, 6u);
  auto listed = ListAuditCheckpoints(checkpoints_);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->checkpoints_size(), 2);
  EXPECT_EQ(listed->checkpoints(1).entries(), 6u);
  EXPECT_EQ(listed->public_key_pem(), key_.public_key_pem);
  EXPECT_EQ(listed->checkpoints(1).key_id(), listed->key_id());
}

TEST_F(AuditCheckpointTest, NothingNewMeansNoNewCheckpoint) {
  Append(2);
  Checkpoint();
  Checkpoint();
  auto all = ReadAuditCheckpoints(checkpoints_.path);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(*all, SizeIs(1));
}

TEST_F(AuditCheckpointTest, DeletedTailIsReportedAsTruncation) {
  Append(6);
  Checkpoint();
  Tamper([](sqlite3* db) { Exec(db, "DELETE FROM audit_log WHERE seq > 4"); });
  // The chain by itself still links up: this is what went unnoticed.
  EXPECT_TRUE(Verify(/*with_checkpoints=*/false).intact);

  AuditChainVerdict v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_TRUE(v.truncated);
  EXPECT_EQ(v.entries_checked, 4u);
  EXPECT_EQ(v.first_bad_sequence, 5u);
  EXPECT_THAT(v.problem, HasSubstr("entries 5..6 were deleted"));
  // The server does not sign the shortened chain.
  EXPECT_EQ(checkpointer_->CheckpointNow().code(),
            absl::StatusCode::kFailedPrecondition);

  // New entries reuse the deleted numbers; the chain is as long again, but
  // entry 6 is not the one that was signed.
  Append(2);
  v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_FALSE(v.truncated);
  EXPECT_EQ(v.first_bad_sequence, 1u);
  EXPECT_THAT(v.problem, HasSubstr("do not match the signed checkpoint"));
  absl::Status refused = checkpointer_->CheckpointNow();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("entry 6"));
}

TEST_F(AuditCheckpointTest, RewrittenEntryWithRecomputedHashesIsReported) {
  Append(3);
  Checkpoint();
  Append(3);
  Checkpoint();
  // Rewrite entry 5 and recompute its hash and every one after it, so the
  // chain links up again.
  std::vector<AuditRecord> chain = Entries();
  ASSERT_THAT(chain, SizeIs(6));
  chain[4].target = "device-innocent";
  for (size_t i = 4; i < chain.size(); ++i) {
    chain[i].previous_hash = chain[i - 1].hash;
    chain[i].hash = ComputeAuditHash(chain[i]);
  }
  Tamper([&](sqlite3* db) {
    for (size_t i = 4; i < chain.size(); ++i) {
      sqlite3_stmt* stmt = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db,
                                   "UPDATE audit_log SET target = ?, "
                                   "prev_hash = ?, hash = ? WHERE seq = ?",
                                   -1, &stmt, nullptr),
                SQLITE_OK);
      sqlite3_bind_text(stmt, 1, chain[i].target.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob(stmt, 2, chain[i].previous_hash.data(), 32,
                        SQLITE_TRANSIENT);
      sqlite3_bind_blob(stmt, 3, chain[i].hash.data(), 32, SQLITE_TRANSIENT);
      sqlite3_bind_int64(stmt, 4, chain[i].sequence);
      EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
      sqlite3_finalize(stmt);
    }
  });
  EXPECT_TRUE(Verify(/*with_checkpoints=*/false).intact);

  AuditChainVerdict v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_FALSE(v.truncated);
  // Entries 1..3 still match the first checkpoint; the change is after it.
  EXPECT_EQ(v.first_bad_sequence, 4u);
  EXPECT_EQ(v.entries_checked, 5u);
  EXPECT_THAT(v.problem, HasSubstr("entries 4..6 do not match the signed "
                                   "checkpoint"));
  EXPECT_EQ(checkpointer_->CheckpointNow().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(AuditCheckpointTest, ForgedOrDamagedCheckpointFileIsReported) {
  Append(4);
  Checkpoint();
  auto text = ReadFile(checkpoints_.path);
  ASSERT_TRUE(text.ok()) << text.status();
  // Claim fewer entries, to cover for a deleted tail.
  std::string forged = absl::StrReplaceAll(
      *text,
      {{"trellis-audit-checkpoint-v1 4 ", "trellis-audit-checkpoint-v1 3 "}});
  ASSERT_NE(forged, *text);
  ASSERT_TRUE(WriteFileAtomic(checkpoints_.path, forged).ok());
  AuditChainVerdict v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_THAT(v.problem, HasSubstr("not signed by this server's "
                                   "audit-signing key"));

  ASSERT_TRUE(WriteFileAtomic(checkpoints_.path, "garbage\n").ok());
  v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_THAT(v.problem, HasSubstr("audit-checkpoints line 1"));
}

TEST_F(AuditCheckpointTest, CheckpointsSignedByAnotherKeyAreRejected) {
  Append(2);
  Checkpoint();
  auto other = crypto::GenerateEd25519Key();
  ASSERT_TRUE(other.ok());
  AuditCheckpoints elsewhere{checkpoints_.path, other->public_key_pem};
  auto v = VerifyAuditLog(*store_, &elsewhere);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(v->intact);
  EXPECT_THAT(v->problem, HasSubstr("not signed"));
}

}  // namespace
}  // namespace trellis::server
