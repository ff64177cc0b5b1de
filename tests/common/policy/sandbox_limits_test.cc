// The sandbox's per-check limit holds inside every step: the clock is read
// often, the string functions that SQLite runs in one long step are replaced
// by linear or metered versions that give SQLite's answers, and only
// SELECTs whose result depends on the facts alone are accepted.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/facts/table_builder.h"
#include "common/policy/fact_database.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::policy {
namespace {

using ::testing::HasSubstr;

// A clock that never moves and counts how often it is read.
class CountingClock : public Clock {
 public:
  absl::Time Now() const override {
    ++reads_;
    return absl::FromUnixSeconds(1767225600);
  }
  int reads() const { return reads_; }

 private:
  mutable int reads_ = 0;
};

// Jumps a second every time it is read: any check that looks at the time
// twice is out of it.
class JumpingClock : public Clock {
 public:
  absl::Time Now() const override {
    now_ += absl::Seconds(1);
    return now_;
  }

 private:
  mutable absl::Time now_ = absl::FromUnixSeconds(1767225600);
};

std::unique_ptr<FactDatabase> Sandbox(const Clock* clock) {
  SandboxLimits limits;
  limits.clock = clock;
  auto db = FactDatabase::Create(limits);
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

// The value of `expr` in the sandbox, or its error.
std::string SandboxValue(FactDatabase& db, const std::string& expr) {
  auto q = db.Prepare(absl::StrCat("SELECT ", expr));
  if (!q.ok()) return absl::StrCat("prepare: ", q.status().message());
  auto rows = db.Fetch(**q);
  if (!rows.ok()) return absl::StrCat("error: ", rows.status().message());
  return rows->rows.at(0).at(0);
}

// The value of `expr` in plain SQLite with its built-in functions.
std::string BuiltinValue(const std::string& expr) {
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  sqlite3_stmt* stmt = nullptr;
  std::string sql = absl::StrCat("SELECT ", expr);
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    out = absl::StrCat("prepare: ", sqlite3_errmsg(db));
  } else if (sqlite3_step(stmt) != SQLITE_ROW) {
    out = absl::StrCat("error: ", sqlite3_errmsg(db));
  } else {
    const unsigned char* t = sqlite3_column_text(stmt, 0);
    out = t ? reinterpret_cast<const char*>(t) : "NULL";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// A sandbox whose clock does not move: nothing here is about time.
class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Sandbox(&clock_);
    ASSERT_NE(db_, nullptr);
  }
  FakeClock clock_;
  std::unique_ptr<FactDatabase> db_;
};

TEST(SandboxLimitsTest, ClockIsReadEveryHundredSteps) {
  CountingClock clock;
  auto db = Sandbox(&clock);
  ASSERT_NE(db, nullptr);
  // 100,000 rows of a recursive CTE are well over a million VM steps.
  auto q = db->Prepare(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
      "WHERE i < 100000) SELECT count(*) FROM n");
  ASSERT_TRUE(q.ok()) << q.status();
  auto rows = db->Fetch(**q);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->rows[0][0], "100000");
  // Every 2,000 steps would be a few hundred reads.
  EXPECT_GT(clock.reads(), 5000);
}

TEST_F(SandboxTest, StringFunctionsGiveSqlitesAnswers) {
  for (const char* expr : {
           "'abc' LIKE 'a%'",
           "'ABC' LIKE 'a_c'",
           "'abc' LIKE 'A%C'",
           "'a%c' LIKE 'a\\%c' ESCAPE '\\'",
           "'abc' LIKE 'a\\%c' ESCAPE '\\'",
           "'a_c' LIKE 'a__c'",
           "'Windows 11 Pro' LIKE '%Windows 11%'",
           "'/usr/sbin/nologin' LIKE '%nologin'",
           "'x' LIKE NULL",
           "NULL LIKE 'x'",
           "'abc' LIKE 'a' ESCAPE 'xy'",
           "'abc' LIKE '%b%' ESCAPE '%'",
           "'a%c' LIKE 'a%c' ESCAPE '%'",
           "'é' LIKE '_'",
           "'Éa' LIKE 'éA'",
           "'abc' GLOB 'a*'",
           "'abc' GLOB 'A*'",
           "'abc' GLOB '?b?'",
           "'abc' GLOB '[a-c]*'",
           "'abc' GLOB '[^a]*'",
           "']x' GLOB '[]]x'",
           "'-' GLOB '[a-]'",
           "'b' GLOB '[!-a]'",
           "'abc' GLOB '*[c]'",
           "'ab' GLOB '*[c]'",
           "'aXb' GLOB 'a*?b'",
           "'ab' GLOB 'a*?b'",
           "'éé' GLOB '?é'",
           "'abc' GLOB '[abc'",
           "123 LIKE '1%'",
           "x'41' LIKE 'A'",
           "'A' LIKE x'41'",
           "x'41' GLOB 'A'",
           "instr('hello', 'l')",
           "instr('hello', '')",
           "instr('hello', 'z')",
           "instr('hé llo', 'llo')",
           "instr(x'00ff01', x'01')",
           "instr('a1', 1)",
           "instr(x'6131', '1')",
           "instr(NULL, 'a')",
           "instr('abc', NULL)",
           "instr(12345, 34)",
           "instr('ééa', 'a')",
           "replace('hello', 'l', 'L')",
           "replace('hello', '', 'x')",
           "replace('hello', 'll', '')",
           "replace('aaaa', 'aa', 'b')",
           "replace(NULL, 'a', 'b')",
           "replace('a', NULL, 'b')",
           "replace('a', 'a', NULL)",
           "replace(123, 2, 9)",
           "typeof(replace(5, '', 'x'))",
           "replace('héllo', 'é', 'e')",
           "trim('xxhixx', 'x')",
           "ltrim('xxhixx', 'x')",
           "rtrim('xxhixx', 'x')",
           "trim('abchicba', 'abc')",
           "trim('hi', '')",
           "trim(NULL, 'x')",
           "trim('x', NULL)",
           "trim('éhié', 'é')",
           "trim(' hi ')",
           "ltrim(12300, '0')",
           "rtrim(12300, '0')",
           "trim('aaa', 'a')",
       }) {
    EXPECT_EQ(SandboxValue(*db_, expr), BuiltinValue(expr)) << expr;
  }
}

TEST(SandboxLimitsTest, LongStringWorkStopsInsideOneStep) {
  // Each of these is one VM step that SQLite's own function spends from a
  // tenth of a second to seconds in, out of reach of the progress handler.
  JumpingClock clock;
  auto db = Sandbox(&clock);
  ASSERT_NE(db, nullptr);
  const std::string big =
      "(SELECT replace(hex(zeroblob(130000)), '0', 'a'))";  // 260,000 bytes
  // The statement around the function is too short for the progress
  // handler: what stops the ones below happens inside the function.
  auto cheap = db->Prepare(absl::StrCat("SELECT 1 WHERE ", big, " GLOB 'a*'"));
  ASSERT_TRUE(cheap.ok()) << cheap.status();
  auto matched = db->Matches(**cheap);
  ASSERT_TRUE(matched.ok()) << matched.status();
  EXPECT_TRUE(*matched);
  for (const std::string& expr : {
           absl::StrCat(big, " GLOB '*[bcdefghijklmnopqrstuvwxyz0123456789]'"),
           absl::StrCat(big, " LIKE '%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b'"),
           absl::StrCat(big, " GLOB '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'"),
           absl::StrCat("trim(", big,
                        ", substr(replace(hex(zeroblob(60000)), "
                        "'0', 'b'), 1, 100000) || 'a')"),
       }) {
    auto q = db->Prepare(absl::StrCat("SELECT 1 WHERE ", expr));
    ASSERT_TRUE(q.ok()) << expr << ": " << q.status();
    auto m = db->Matches(**q);
    ASSERT_FALSE(m.ok()) << expr;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kDeadlineExceeded)
        << expr << ": " << m.status();
  }
}

TEST_F(SandboxTest, QuadraticSearchesAreLinear) {
  // instr and replace of a 130,000-byte needle in a 260,000-byte haystack
  // that almost matches everywhere: SQLite compares at every position.
  const std::string hay = "replace(hex(zeroblob(130000)), '0', 'a')";
  const std::string needle =
      "substr(replace(hex(zeroblob(65000)), '0', 'a'), 1, 129999) || 'b'";
  EXPECT_EQ(SandboxValue(*db_, absl::StrCat("instr(", hay, ", ", needle, ")")),
            "0");
  EXPECT_EQ(SandboxValue(*db_, absl::StrCat("length(replace(", hay, ", ",
                                            needle, ", 'x'))")),
            "260000");
}

TEST_F(SandboxTest, FunctionsThatDoNotDependOnTheFactsAreRefused) {
  for (const char* sql : {
           "SELECT random()",
           "SELECT 1 WHERE randomblob(4) IS NOT NULL",
           "SELECT total_changes()",
           "SELECT changes()",
           "SELECT last_insert_rowid()",
           "SELECT sqlite_version()",
           "SELECT sqlite_source_id()",
           "SELECT RANDOM()",
           "SELECT sqlite_compileoption_used('THREADSAFE')",
       }) {
    auto q = db_->Prepare(sql);
    ASSERT_FALSE(q.ok()) << sql;
    EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument) << sql;
    EXPECT_THAT(q.status().message(),
                HasSubstr("must depend only on the device's facts"))
        << sql;
  }
}

TEST_F(SandboxTest, OnlySelectStatementsAreAccepted) {
  for (const char* sql : {
           "REINDEX",
           "REINDEX firewall",
           "ANALYZE",
           "ANALYZE firewall",
           "VACUUM",
           "BEGIN",
           "COMMIT",
           "SAVEPOINT a",
           "RELEASE a",
           "EXPLAIN SELECT 1",
           "EXPLAIN QUERY PLAN SELECT 1 FROM firewall",
           "/* c */ REINDEX",
           "-- c\nANALYZE",
       }) {
    auto q = db_->Prepare(sql);
    ASSERT_FALSE(q.ok()) << sql;
    EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument) << sql;
  }
  for (const char* sql : {"SELECT 1", " /* c */ select 1",
                          "WITH a(x) AS (SELECT 1) SELECT x FROM a",
                          "VALUES (1)", "-- why\nSELECT 1 FROM firewall"}) {
    EXPECT_TRUE(db_->Prepare(sql).ok()) << sql;
  }
  auto q = db_->Prepare("REINDEX");
  EXPECT_THAT(q.status().message(),
              HasSubstr("a check must be a SELECT, not REINDEX"));
}

}  // namespace
}  // namespace trellis::policy
