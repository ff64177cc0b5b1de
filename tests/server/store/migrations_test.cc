#include "server/store/migrations.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/sqlite_connection.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<SqliteConnection> OpenConn(const std::string& path) {
  auto conn = SqliteConnection::Open(path, /*read_only=*/false);
  EXPECT_TRUE(conn.ok()) << conn.status();
  return conn.ok() ? *std::move(conn) : nullptr;
}

int Version(SqliteConnection& conn) {
  absl::StatusOr<int> v = SchemaVersion(conn);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : -1;
}

bool TableExists(SqliteConnection& conn, const std::string& table) {
  auto stmt = conn.Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  EXPECT_TRUE(stmt.ok()) << stmt.status();
  stmt->Bind(1, table);
  absl::StatusOr<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return stmt->Int(0) == 1;
}

int64_t CountRows(SqliteConnection& conn, const std::string& table) {
  auto stmt = conn.Prepare(absl::StrCat("SELECT count(*) FROM ", table));
  EXPECT_TRUE(stmt.ok()) << stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return stmt->Int(0);
}

TEST(MigrationsTest, LatestVersionCountsTheMigrations) {
  EXPECT_EQ(LatestSchemaVersion(), static_cast<int>(SchemaMigrations().size()));
  EXPECT_GE(LatestSchemaVersion(), 2);
}

TEST(MigrationsTest, FreshDatabaseMigratesToLatest) {
  testing::TempDir dir;
  auto conn = OpenConn(dir.File("t.db"));
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(Version(*conn), 0);
  ASSERT_TRUE(Migrate(*conn).ok());
  EXPECT_EQ(Version(*conn), LatestSchemaVersion());
  for (const char* table : {"enrollment_tokens", "devices", "operators",
                            "audit_log", "device_reports"}) {
    EXPECT_TRUE(TableExists(*conn, table)) << table;
  }
}

TEST(MigrationsTest, MigrateToTargetStopsThere) {
  testing::TempDir dir;
  auto conn = OpenConn(dir.File("t.db"));
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(Migrate(*conn, 1).ok());
  EXPECT_EQ(Version(*conn), 1);
  EXPECT_TRUE(TableExists(*conn, "devices"));
  EXPECT_FALSE(TableExists(*conn, "device_reports"));
}

TEST(MigrationsTest, VersionOneDataSurvivesUpgrade) {
  testing::TempDir dir;
  const std::string path = dir.File("t.db");
  {
    auto conn = OpenConn(path);
    ASSERT_NE(conn, nullptr);
    ASSERT_TRUE(Migrate(*conn, 1).ok());
    ASSERT_TRUE(
        conn->Exec("INSERT INTO enrollment_tokens (token_id, secret_hash, "
                   "grp, ownership, max_uses, uses, created_at, "
                   "expires_at, created_by, description) VALUES "
                   "('abcdefghijk23', x'0102', 'eng', 1, 5, 2, "
                   "1000000, 2000000, 'admin:alice', 'old token')")
            .ok());
    ASSERT_TRUE(
        conn->Exec("INSERT INTO devices (device_id, key_hash, hostname, "
                   "hardware_serial, platform, os_name, os_version, "
                   "agent_version, grp, ownership, state, enrolled_at, "
                   "cert_serial, cert_expires_at, token_id) VALUES "
                   "('dold', x'aabbcc', 'host-1', 'SN1', 1, 'Debian', '12', "
                   "'0.1.0', 'eng', 1, 1, 1500000, 'ff01', 3000000, "
                   "'abcdefghijk23')")
            .ok());
    ASSERT_EQ(Version(*conn), 1);
    ASSERT_TRUE(Migrate(*conn).ok());
    EXPECT_EQ(Version(*conn), LatestSchemaVersion());
    EXPECT_TRUE(TableExists(*conn, "device_reports"));
    EXPECT_EQ(CountRows(*conn, "devices"), 1);
    EXPECT_EQ(CountRows(*conn, "enrollment_tokens"), 1);
  }
  // The store reads the upgraded rows with every field intact.
  auto store = SqliteStore::Open({path});
  ASSERT_TRUE(store.ok()) << store.status();
  absl::Status read = (*store)->Read([](StoreReader& r) -> absl::Status {
    auto token = r.GetToken("abcdefghijk23");
    EXPECT_TRUE(token.ok()) << token.status();
    EXPECT_TRUE(token->has_value());
    if (token.ok() && token->has_value()) {
      const TokenRecord& t = **token;
      EXPECT_EQ(t.secret_hash, std::string("\x01\x02", 2));
      EXPECT_EQ(t.group, "eng");
      EXPECT_EQ(t.ownership, v1::OWNERSHIP_CORPORATE);
      EXPECT_EQ(t.max_uses, 5);
      EXPECT_EQ(t.uses, 2);
      EXPECT_EQ(t.created_at, absl::FromUnixMicros(1000000));
      EXPECT_EQ(t.expires_at, absl::FromUnixMicros(2000000));
      EXPECT_EQ(t.created_by, "admin:alice");
      EXPECT_FALSE(t.revoked_at.has_value());
      EXPECT_EQ(t.description, "old token");
    }
    auto device = r.GetDevice("dold");
    EXPECT_TRUE(device.ok()) << device.status();
    EXPECT_TRUE(device->has_value());
    if (device.ok() && device->has_value()) {
      const DeviceRecord& d = **device;
      EXPECT_EQ(d.key_hash, "\xaa\xbb\xcc");
      EXPECT_EQ(d.pending_key_hash, "");
      EXPECT_EQ(d.hostname, "host-1");
      EXPECT_EQ(d.hardware_serial, "SN1");
      EXPECT_EQ(d.platform, v1::PLATFORM_LINUX);
      EXPECT_EQ(d.state, v1::DEVICE_STATE_ACTIVE);
      EXPECT_EQ(d.enrolled_at, absl::FromUnixMicros(1500000));
      EXPECT_FALSE(d.last_seen_at.has_value());
      EXPECT_EQ(d.clone_of_device_id, "");
      EXPECT_EQ(d.last_sequence, 0u);
      EXPECT_EQ(d.facts_hash, "");
      EXPECT_EQ(d.token_id, "abcdefghijk23");
    }
    auto listed = r.ListDevices("", 10);
    EXPECT_TRUE(listed.ok()) << listed.status();
    EXPECT_EQ(listed->size(), 1u);
    auto report = r.GetLastReport("dold");
    EXPECT_TRUE(report.ok()) << report.status();
    EXPECT_FALSE(report->has_value());
    return absl::OkStatus();
  });
  EXPECT_TRUE(read.ok()) << read;
}

TEST(MigrationsTest, NewerDatabaseIsRefused) {
  testing::TempDir dir;
  const std::string path = dir.File("t.db");
  {
    auto conn = OpenConn(path);
    ASSERT_NE(conn, nullptr);
    ASSERT_TRUE(Migrate(*conn).ok());
    ASSERT_TRUE(conn->Exec(absl::StrCat("PRAGMA user_version = ",
                                        LatestSchemaVersion() + 1))
                    .ok());
    absl::Status s = Migrate(*conn);
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_THAT(s.message(), HasSubstr("newer"));
    EXPECT_THAT(s.message(),
                HasSubstr(absl::StrCat("version ", LatestSchemaVersion() + 1)));
    // Nothing was changed.
    EXPECT_EQ(Version(*conn), LatestSchemaVersion() + 1);
  }
  auto store = SqliteStore::Open({path});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("newer"));
}

TEST(MigrationsTest, MigratingTwiceIsANoOp) {
  testing::TempDir dir;
  auto conn = OpenConn(dir.File("t.db"));
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(Migrate(*conn).ok());
  ASSERT_TRUE(conn->Exec("INSERT INTO operators (name, role, key_hash, "
                         "created_at, created_by, cert_expires_at) VALUES "
                         "('alice', 1, x'01', 1, 'bootstrap', 2)")
                  .ok());
  absl::Status again = Migrate(*conn);
  EXPECT_TRUE(again.ok()) << again;
  EXPECT_EQ(Version(*conn), LatestSchemaVersion());
  EXPECT_EQ(CountRows(*conn, "operators"), 1);
  // Asking for an older target does not downgrade either.
  EXPECT_TRUE(Migrate(*conn, 1).ok());
  EXPECT_EQ(Version(*conn), LatestSchemaVersion());
  EXPECT_EQ(CountRows(*conn, "operators"), 1);
}

// A target beyond the latest version is an error, not an out-of-range
// read. Runs in a child process so a crash cannot take the suite down.
TEST(MigrationsDeathTest, TargetBeyondLatestIsAnError) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  testing::TempDir dir;
  const std::string path = dir.File("t.db");
  EXPECT_EXIT(
      {
        auto conn = SqliteConnection::Open(path, /*read_only=*/false);
        if (!conn.ok()) std::_Exit(2);
        absl::Status s = Migrate(**conn, LatestSchemaVersion() + 3);
        std::_Exit(s.ok() ? 1 : 0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(MigrationsTest, ReopeningAStoreKeepsTheVersion) {
  testing::TempDir dir;
  const std::string path = dir.File("t.db");
  { ASSERT_TRUE(SqliteStore::Open({path}).ok()); }
  { ASSERT_TRUE(SqliteStore::Open({path}).ok()); }
  auto conn = OpenConn(path);
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(Version(*conn), LatestSchemaVersion());
}

}  // namespace
}  // namespace trellis::server
