// A thin RAII layer over one sqlite3 connection: prepared-statement cache,
// typed binding and Status errors that carry SQLite's message.
#ifndef TRELLIS_SERVER_STORE_SQLITE_CONNECTION_H_
#define TRELLIS_SERVER_STORE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::server {

// A prepared statement borrowed from the connection's cache. Resets itself
// when it goes out of scope so it can be reused.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  ~Statement();
  Statement(Statement&& other) noexcept : stmt_(other.stmt_), db_(other.db_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding is 1-based, as in SQLite.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, absl::string_view text);
  Statement& BindBlob(int index, absl::string_view bytes);
  Statement& BindNull(int index);
  // NULL when empty.
  Statement& BindBlobOrNull(int index, absl::string_view bytes);
  Statement& BindOptional(int index, std::optional<int64_t> value);

  // Steps once: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to completion (for statements that return no rows).
  absl::Status Run();

  int64_t Int(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
};

// WAL bounds for small volumes: checkpoint once the WAL holds this many
// pages (SQLite's default is 1000, about 4 MiB), and truncate it back to
// this many bytes after a checkpoint instead of keeping its high-water mark.
inline constexpr int kWalAutocheckpointPages = 256;
inline constexpr int64_t kJournalSizeLimitBytes = 1 << 20;

class SqliteConnection {
 public:
  // Opens `path` (read-write, creating it) or read-only. Sets foreign keys
  // and a busy timeout. The read-write connection also gets WAL mode, the
  // WAL bounds above and synchronous=FULL: a write is acknowledged once it
  // committed, and with NORMAL the last commits of a WAL database can roll
  // back on power loss (group commit keeps the extra fsync cheap).
  static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(
      const std::string& path, bool read_only);
  ~SqliteConnection();

  absl::Status Exec(absl::string_view sql);
  // Prepares once per connection and caches.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);
  sqlite3* raw() const { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  absl::flat_hash_map<std::string, sqlite3_stmt*> cache_;
};

// A Status for the connection's last error. SQLITE_FULL becomes
// ResourceExhausted naming the disk that holds the database file, marked so
// IsDiskFull() recognises it.
absl::Status SqliteError(sqlite3* db, absl::string_view what);

// True for a SqliteError() that came from a full disk (not for other
// ResourceExhausted answers, such as a full address pool).
bool IsDiskFull(const absl::Status& status);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_STORE_SQLITE_CONNECTION_H_
