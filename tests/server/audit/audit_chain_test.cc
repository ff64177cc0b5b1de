#include "server/audit/audit_chain.h"

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/audit/audit_admin.h"
#include "server/audit/audit_log.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixMicros(1767225600000001);

AuditRecord Entry(int i) {
  AuditRecord e;
  e.time = kT0 + absl::Seconds(i);
  e.actor = "operator:alice";
  e.action = "token.create";
  e.target = absl::StrCat("token-", i);
  e.details_json = absl::StrCat("{\"n\":", i, "}");
  return e;
}

// Runs SQL against the database file behind the store's back.
void Tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  EXPECT_EQ(sqlite3_changes(db), 1) << sql;
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open({path_});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    absl::Status s = store_->WriteSync([](StoreWriter& w) -> absl::Status {
      for (int i = 1; i <= 5; ++i) {
        auto appended = AppendAudit(w, Entry(i));
        if (!appended.ok()) return appended.status();
      }
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
  }

  AuditChainVerdict Verify() {
    absl::StatusOr<AuditChainVerdict> verdict = VerifyAuditLog(*store_);
    EXPECT_TRUE(verdict.ok()) << verdict.status();
    return verdict.ok() ? *verdict : AuditChainVerdict{};
  }

  testing::TempDir dir_;
  const std::string path_ = dir_.File("trellis.db");
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(AuditLogTest, IntactChainVerifies) {
  AuditChainVerdict v = Verify();
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries_checked, 5u);
  EXPECT_EQ(v.first_bad_sequence, 0u);
  EXPECT_EQ(v.problem, "");
}

TEST_F(AuditLogTest, ChainKeepsGrowingAcrossWrites) {
  ASSERT_TRUE(store_
                  ->WriteSync([](StoreWriter& w) {
                    return AppendAudit(w, Entry(6)).status();
                  })
                  .ok());
  AuditChainVerdict v = Verify();
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries_checked, 6u);
}

TEST_F(AuditLogTest, EmptyLogIsIntact) {
  testing::TempDir other;
  auto store = SqliteStore::Open({other.File("empty.db")});
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<AuditChainVerdict> v = VerifyAuditLog(**store);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->intact);
  EXPECT_EQ(v->entries_checked, 0u);
}

TEST_F(AuditLogTest, AlteredDetailsAreDetected) {
  Tamper(path_, "UPDATE audit_log SET details = '{\"n\":999}' WHERE seq = 3");
  AuditChainVerdict v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_sequence, 3u);
  EXPECT_EQ(v.entries_checked, 2u);
  EXPECT_THAT(v.problem, HasSubstr("entry 3"));
  EXPECT_THAT(v.problem, HasSubstr("altered"));
}

TEST_F(AuditLogTest, AlteredActorIsDetected) {
  Tamper(path_,
         "UPDATE audit_log SET actor = 'operator:mallory' WHERE seq = 5");
  AuditChainVerdict v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_sequence, 5u);
  EXPECT_THAT(v.problem, HasSubstr("altered"));
}

TEST_F(AuditLogTest, DeletedMiddleEntryIsDetected) {
  Tamper(path_, "DELETE FROM audit_log WHERE seq = 3");
  AuditChainVerdict v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.entries_checked, 2u);
  EXPECT_THAT(v.problem, HasSubstr("missing"));
  EXPECT_THAT(v.problem, HasSubstr("expected entry 3"));
}

TEST_F(AuditLogTest, DeletedFirstEntryIsDetected) {
  Tamper(path_, "DELETE FROM audit_log WHERE seq = 1");
  AuditChainVerdict v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.entries_checked, 0u);
  EXPECT_THAT(v.problem, HasSubstr("missing"));
}

TEST_F(AuditLogTest, TamperedPrevHashIsDetected) {
  // Only the link is changed; the entry's own hash is left as it was.
  Tamper(path_, "UPDATE audit_log SET prev_hash = zeroblob(32) WHERE seq = 4");
  AuditChainVerdict v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_sequence, 4u);
  EXPECT_EQ(v.entries_checked, 3u);
  EXPECT_THAT(v.problem, HasSubstr("entry 4"));
  EXPECT_THAT(v.problem, HasSubstr("does not link"));
}

TEST_F(AuditLogTest, RelinkedButNotRehashedEntryIsDetected) {
  // Re-pointing entry 4 at entry 2 (as if 3 was cut out and 4 relinked)
  // without recomputing entry 4's hash.
  Tamper(path_,
         "UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE "
         "seq = 2) WHERE seq = 4");
  AuditChainVerdict v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_sequence, 4u);
}

TEST_F(AuditLogTest, ListAuditEventsReturnsHexHashes) {
  v1::ListAuditEventsRequest request;
  request.set_after_sequence(2);
  request.set_limit(2);
  absl::StatusOr<v1::ListAuditEventsResponse> response =
      ListAuditEvents(*store_, request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->events_size(), 2);
  EXPECT_EQ(response->events(0).sequence(), 3u);
  EXPECT_EQ(response->events(0).target(), "token-3");
  EXPECT_EQ(response->events(0).details_json(), "{\"n\":3}");
  EXPECT_EQ(response->events(0).hash_hex().size(), 64u);
  EXPECT_EQ(response->events(1).previous_hash_hex(),
            response->events(0).hash_hex());

  request.set_limit(1001);
  EXPECT_EQ(ListAuditEvents(*store_, request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// --- The verifier on in-memory records ---

std::vector<AuditRecord> Chain(int n) {
  std::vector<AuditRecord> chain;
  std::string previous = GenesisAuditHash();
  for (int i = 1; i <= n; ++i) {
    AuditRecord e = Entry(i);
    e.sequence = i;
    e.previous_hash = previous;
    e.hash = ComputeAuditHash(e);
    previous = e.hash;
    chain.push_back(e);
  }
  return chain;
}

AuditChainVerdict Feed(const std::vector<AuditRecord>& chain) {
  AuditChainVerifier verifier;
  for (const AuditRecord& e : chain) {
    if (!verifier.Add(e)) break;
  }
  return verifier.verdict();
}

TEST(AuditChainVerifierTest, GenesisIsZeros) {
  EXPECT_EQ(GenesisAuditHash(), std::string(32, '\0'));
}

TEST(AuditChainVerifierTest, AcceptsAnIntactChain) {
  AuditChainVerdict v = Feed(Chain(4));
  EXPECT_TRUE(v.intact);
  EXPECT_EQ(v.entries_checked, 4u);
}

TEST(AuditChainVerifierTest, RejectsWrongFirstSequence) {
  std::vector<AuditRecord> chain = Chain(3);
  chain.erase(chain.begin());
  AuditChainVerdict v = Feed(chain);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_sequence, 2u);
  EXPECT_THAT(v.problem, HasSubstr("expected entry 1, found 2"));
}

TEST(AuditChainVerifierTest, RejectsReorderedEntries) {
  std::vector<AuditRecord> chain = Chain(4);
  std::swap(chain[1], chain[2]);
  AuditChainVerdict v = Feed(chain);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.entries_checked, 1u);
}

TEST(AuditChainVerifierTest, RejectsAlteredEntry) {
  std::vector<AuditRecord> chain = Chain(3);
  chain[1].target = "someone-else";
  AuditChainVerdict v = Feed(chain);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_sequence, 2u);
  EXPECT_THAT(v.problem, HasSubstr("altered"));
}

TEST(AuditChainVerifierTest, RejectsRewrittenEntryEvenWithFreshHash) {
  // Rehashing an edited entry breaks the link of the one after it.
  std::vector<AuditRecord> chain = Chain(3);
  chain[1].details_json = "{}";
  chain[1].hash = ComputeAuditHash(chain[1]);
  AuditChainVerdict v = Feed(chain);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_sequence, 3u);
  EXPECT_THAT(v.problem, HasSubstr("does not link"));
}

TEST(AuditChainVerifierTest, StaysBrokenOnceBroken) {
  std::vector<AuditRecord> chain = Chain(3);
  chain[0].actor = "x";
  AuditChainVerifier verifier;
  EXPECT_FALSE(verifier.Add(chain[0]));
  EXPECT_FALSE(verifier.Add(Chain(3)[1]));
  EXPECT_EQ(verifier.verdict().first_bad_sequence, 1u);
  EXPECT_EQ(verifier.verdict().entries_checked, 0u);
}

TEST(ComputeAuditHashTest, IsSha256Sized) {
  EXPECT_EQ(ComputeAuditHash(Chain(1)[0]).size(), 32u);
}

TEST(ComputeAuditHashTest, ChangesWhenAnyFieldChanges) {
  const AuditRecord base = Chain(2)[1];
  const std::string h = ComputeAuditHash(base);
  EXPECT_EQ(ComputeAuditHash(base), h);
  std::vector<std::pair<std::string, std::function<void(AuditRecord&)>>> edits =
      {
          {"sequence", [](AuditRecord& e) { e.sequence++; }},
          {"time", [](AuditRecord& e) { e.time += absl::Microseconds(1); }},
          {"actor", [](AuditRecord& e) { e.actor += "x"; }},
          {"action", [](AuditRecord& e) { e.action = "token.revoke"; }},
          {"target", [](AuditRecord& e) { e.target = ""; }},
          {"details", [](AuditRecord& e) { e.details_json = "{\"n\":0}"; }},
          {"previous_hash", [](AuditRecord& e) { e.previous_hash[0] ^= 1; }},
      };
  for (auto& [name, edit] : edits) {
    AuditRecord changed = base;
    edit(changed);
    EXPECT_NE(ComputeAuditHash(changed), h) << name;
  }
  // The stored hash itself is not an input.
  AuditRecord rehashed = base;
  rehashed.hash = "whatever";
  EXPECT_EQ(ComputeAuditHash(rehashed), h);
}

TEST(ComputeAuditHashTest, FieldBoundariesMatter) {
  AuditRecord a = Chain(1)[0];
  AuditRecord b = a;
  a.actor = "ab";
  a.action = "c";
  b.actor = "a";
  b.action = "bc";
  EXPECT_NE(ComputeAuditHash(a), ComputeAuditHash(b));
}

}  // namespace
}  // namespace trellis::server
