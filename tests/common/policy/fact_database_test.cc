// The check sandbox: what a hostile or careless policy author can try, and
// how each attempt is contained.
#include "common/policy/fact_database.h"

#include "common/facts/table_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::policy {
namespace {

using ::testing::HasSubstr;

class FactDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SandboxLimits limits;
    limits.statement_time = absl::Milliseconds(100);
    auto db = FactDatabase::Create(limits);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    firewall_ = facts::TableBuilder("firewall")
                    .Row()
                    .Text("backend", "nftables")
                    .Text("profile", "default")
                    .Bool("enabled", true)
                    .Text("default_inbound_policy", "drop")
                    .Build();
    ASSERT_TRUE(db_->Load({&firewall_}).ok());
  }

  std::unique_ptr<FactDatabase> db_;
  v1::FactTable firewall_;
};

TEST_F(FactDatabaseTest, SelectOverFactTablesWorks) {
  auto q = db_->Prepare("SELECT 1 FROM firewall WHERE enabled");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_THAT((*q)->tables(), ::testing::ElementsAre("firewall"));
  auto m = db_->Matches(**q);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(*m);
  auto none = db_->Prepare("SELECT 1 FROM firewall WHERE NOT enabled");
  EXPECT_FALSE(*db_->Matches(**none));
}

TEST_F(FactDatabaseTest, EscapeAttemptsAreRefusedAtPrepare) {
  struct Case {
    const char* sql;
    const char* why;
  };
  for (const Case& c : std::vector<Case>{
           {"ATTACH DATABASE '/etc/passwd' AS p", "ATTACH"},
           {"SELECT 1; ATTACH DATABASE 'x' AS y", "single statement"},
           {"PRAGMA writable_schema = ON", "PRAGMA"},
           {"SELECT * FROM pragma_table_info('firewall')", "fact tables"},
           {"SELECT printf('%.*c', 1000000000, 'x')", "printf() is not"},
           {"SELECT load_extension('/tmp/evil.so')", "load_extension"},
           {"SELECT * FROM sqlite_master", "only fact tables"},
           {"DELETE FROM firewall", "only SELECT"},
           {"INSERT INTO firewall (backend) VALUES ('x')", "only SELECT"},
           {"UPDATE firewall SET enabled = 1", "only SELECT"},
           {"CREATE TABLE evil (x)", "only SELECT"},
           {"DROP TABLE firewall", "only SELECT"},
           {"SELECT 1 FROM no_such_table", "no such table"},
           {"SELECT no_such_column FROM firewall", "no such column"},
           {"", "empty"},
       }) {
    auto q = db_->Prepare(c.sql);
    ASSERT_FALSE(q.ok()) << c.sql;
    EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument) << c.sql;
    EXPECT_THAT(q.status().message(), HasSubstr(c.why)) << c.sql;
  }
  // Nothing changed.
  auto still = db_->Prepare("SELECT 1 FROM firewall WHERE enabled");
  EXPECT_TRUE(*db_->Matches(**still));
}

TEST_F(FactDatabaseTest, RunawayRecursiveQueryIsStopped) {
  auto q = db_->Prepare(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
      "SELECT 1 FROM n WHERE i < 0");
  ASSERT_TRUE(q.ok()) << q.status();
  absl::Time start = absl::Now();
  auto m = db_->Matches(**q);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(m.status().message(), HasSubstr("was stopped"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  // The sandbox still answers afterwards.
  auto ok = db_->Prepare("SELECT 1 FROM firewall");
  EXPECT_TRUE(*db_->Matches(**ok));
}

TEST_F(FactDatabaseTest, HugeAllocationsAreRefused) {
  for (const char* sql :
       {"SELECT 1 WHERE length(zeroblob(2000000000)) > 0",
        "SELECT 1 WHERE length(hex(zeroblob(200000))) > 0",
        "SELECT 1 WHERE length(replace(hex(zeroblob(100000)), '0', "
        "'0000000000')) > 0",
        "SELECT 1 FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
        "i + 1 FROM n LIMIT 100) SELECT i FROM n) "
        "GROUP BY 1 HAVING length(group_concat(hex(zeroblob(100000)))) > 0"}) {
    auto q = db_->Prepare(sql);
    ASSERT_TRUE(q.ok()) << sql << ": " << q.status();
    auto m = db_->Matches(**q);
    ASSERT_FALSE(m.ok()) << sql;
    EXPECT_THAT(m.status().code(),
                ::testing::AnyOf(absl::StatusCode::kResourceExhausted,
                                 absl::StatusCode::kDeadlineExceeded))
        << sql << ": " << m.status();
  }
}

TEST_F(FactDatabaseTest, UnknownTablesAreRememberedWithTheirReason) {
  v1::FactTable unknown =
      facts::TableBuilder::Unknown("disk_encryption", "lsblk timed out");
  ASSERT_TRUE(db_->Load({&firewall_, &unknown}).ok());
  EXPECT_TRUE(db_->HasTable("firewall"));
  EXPECT_FALSE(db_->HasTable("disk_encryption"));
  EXPECT_EQ(db_->UnknownReason("disk_encryption"), "lsblk timed out");
  EXPECT_EQ(db_->UnknownReason("users"), "not reported by the device");
}

TEST_F(FactDatabaseTest, LoadReplacesEarlierFacts) {
  v1::FactTable off =
      facts::TableBuilder("firewall").Row().Bool("enabled", false).Build();
  ASSERT_TRUE(db_->Load({&off}).ok());
  auto q = db_->Prepare("SELECT COUNT(*) FROM firewall WHERE enabled");
  auto rows = db_->Fetch(**q);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->rows[0][0], "0");
}

}  // namespace
}  // namespace trellis::policy
