#include "server/store/sqlite_connection.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace trellis::server {

namespace {

constexpr absl::string_view kDiskFullPayload = "trellis.store/disk-full";

absl::Status DiskFullError(absl::string_view msg) {
  // The database path stays in the server log (devices see this message).
  absl::Status s = absl::ResourceExhaustedError(absl::StrCat(
      "store: the disk holding the server's database is full; the change "
      "was not saved (free space on that disk; writes resume by themselves; ",
      msg, ")"));
  s.SetPayload(kDiskFullPayload, absl::Cord("1"));
  return s;
}

}  // namespace

bool IsDiskFull(const absl::Status& status) {
  return status.GetPayload(kDiskFullPayload).has_value();
}

absl::Status SqliteError(sqlite3* db, absl::string_view what) {
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  std::string msg = absl::StrCat("sqlite: ", what, ": ",
                                 db ? sqlite3_errmsg(db) : "no connection");
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
    return absl::UnavailableError(msg);
  }
  if ((code & 0xff) == SQLITE_CONSTRAINT) {
    return absl::AlreadyExistsError(msg);
  }
  if ((code & 0xff) == SQLITE_FULL) return DiskFullError(msg);
  return absl::InternalError(msg);
}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, absl::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindBlob(int index, absl::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::BindBlobOrNull(int index, absl::string_view bytes) {
  return bytes.empty() ? BindNull(index) : BindBlob(index, bytes);
}

Statement& Statement::BindOptional(int index, std::optional<int64_t> value) {
  return value ? Bind(index, *value) : BindNull(index);
}

absl::StatusOr<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, sqlite3_sql(stmt_));
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::Text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
}

std::string Statement::Blob(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(static_cast<const char*>(p), n) : std::string();
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY
                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = SqliteError(db, absl::StrCat("cannot open ", path));
    sqlite3_close(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  // Readers and a second process (operator create) wait instead of failing.
  sqlite3_busy_timeout(db, 10000);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  if (!read_only) {
    absl::Status s = conn->Exec(absl::StrCat(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
        "PRAGMA wal_autocheckpoint=",
        kWalAutocheckpointPages,
        "; PRAGMA journal_size_limit=", kJournalSizeLimitBytes, ";"));
    if (!s.ok()) return s;
  }
  absl::Status s = conn->Exec("PRAGMA foreign_keys=ON");
  if (!s.ok()) return s;
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

absl::Status SqliteConnection::Exec(absl::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    absl::Status s = SqliteError(db_, text);
    sqlite3_free(err);
    return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement> SqliteConnection::Prepare(absl::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it != cache_.end()) return Statement(it->second, db_);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, key);
  cache_.emplace(key, stmt);
  return Statement(stmt, db_);
}

}  // namespace trellis::server
