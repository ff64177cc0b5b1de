#include "common/policy/fact_database.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/facts/fact_schema.h"
#include "common/policy/sandbox_functions.h"
#include "common/policy/sandbox_now.h"

namespace trellis::policy {
namespace {

// How often (in VM steps) the progress handler looks at the clock. A step
// is cheap (the costly functions are metered on their own), so 100 steps
// are microseconds and reading the clock that often costs about 2%.
constexpr int kProgressSteps = 100;

std::string SqlType(facts::ColumnType type) {
  switch (type) {
    case facts::ColumnType::kText:
      return "TEXT";
    case facts::ColumnType::kInteger:
    case facts::ColumnType::kBool:  // 0/1, so "WHERE enabled" reads well
      return "INTEGER";
    case facts::ColumnType::kReal:
      return "REAL";
  }
  return "";
}

// Why a function may not be called from a check, or nullptr.
const char* WhyDenied(absl::string_view name) {
  // printf/format can spin for seconds inside one VM step (a huge width),
  // where the progress handler cannot interrupt; checks do not need them.
  for (const char* f :
       {"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit",
        "sqlite_offset", "printf", "format"}) {
    if (absl::EqualsIgnoreCase(name, f)) return "";
  }
  // A verdict must follow from the facts alone, so agent and server agree
  // and one device's evaluation cannot see another's: no randomness, no
  // counts of the sandbox's own writes (loading facts is writes), nothing
  // that differs between SQLite builds.
  for (const char* f :
       {"random", "randomblob", "changes", "total_changes", "last_insert_rowid",
        "sqlite_version", "sqlite_source_id", "sqlite_compileoption_used",
        "sqlite_compileoption_get"}) {
    if (absl::EqualsIgnoreCase(name, f)) {
      return ": a check's result must depend only on the device's facts";
    }
  }
  return nullptr;
}

// The statement's first keyword, past spaces and comments ("" if none).
std::string FirstKeyword(absl::string_view sql) {
  size_t i = 0;
  while (i < sql.size()) {
    if (absl::ascii_isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (absl::StartsWith(sql.substr(i), "--")) {
      size_t end = sql.find('\n', i);
      i = end == absl::string_view::npos ? sql.size() : end + 1;
    } else if (absl::StartsWith(sql.substr(i), "/*")) {
      size_t end = sql.find("*/", i + 2);
      i = end == absl::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  size_t end = i;
  while (end < sql.size() &&
         absl::ascii_isalpha(static_cast<unsigned char>(sql[end]))) {
    ++end;
  }
  return absl::AsciiStrToUpper(sql.substr(i, end - i));
}

absl::Status Error(sqlite3* db, absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", sqlite3_errmsg(db)));
}

}  // namespace

// One Matches/Fetch: arms the check's deadline (its own limit, or the
// evaluation's end if that comes first) and 'now', and disarms both on
// every way out, so no later statement (a Load) runs against a stale
// deadline.
class CheckRun {
 public:
  explicit CheckRun(FactDatabase& db) : CheckRun(db, db.limits_.clock->Now()) {}
  CheckRun(FactDatabase& db, absl::Time start)
      : db_(db), now_(db.now_ == absl::InfinitePast() ? start : db.now_) {
    absl::Time until = start + db.limits_.statement_time;
    db.deadline_is_evaluation_ = db.evaluation_deadline_ < until;
    db.deadline_ = std::min(until, db.evaluation_deadline_);
    db.stopped_ = false;
  }
  ~CheckRun() { db_.deadline_ = absl::InfiniteFuture(); }
  CheckRun(const CheckRun&) = delete;
  CheckRun& operator=(const CheckRun&) = delete;

 private:
  FactDatabase& db_;
  SandboxNow now_;
};

PreparedQuery::~PreparedQuery() { sqlite3_finalize(stmt_); }

absl::StatusOr<std::unique_ptr<FactDatabase>> FactDatabase::Create(
    SandboxLimits limits) {
  std::unique_ptr<FactDatabase> fdb(new FactDatabase(limits));
  int rc = sqlite3_open_v2(":memory:", &fdb->db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                           SandboxVfsName());
  if (rc != SQLITE_OK) return Error(fdb->db_, "cannot open sandbox");
  sqlite3* db = fdb->db_;
  // Belt and braces: extensions cannot be loaded even if asked.
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, limits.max_string_bytes);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
  sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 100);
  sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 50);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 32);
  // Bounds the backtracking of LIKE/GLOB, which also runs within one step.
  sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 200);

  for (const facts::TableSpec& t : facts::FactSchema()) {
    std::vector<std::string> columns;
    std::vector<std::string> params;
    for (const facts::ColumnSpec& c : t.columns) {
      columns.push_back(absl::StrCat(c.name, " ", SqlType(c.type)));
      params.push_back("?");
    }
    std::string ddl = absl::StrCat("CREATE TABLE ", t.name, " (",
                                   absl::StrJoin(columns, ", "), ")");
    if (sqlite3_exec(db, ddl.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Error(db, ddl);
    }
    std::string insert = absl::StrCat("INSERT INTO ", t.name, " VALUES (",
                                      absl::StrJoin(params, ","), ")");
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db, insert.c_str(), -1, SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      return Error(db, insert);
    }
    fdb->inserts_[t.name] = stmt;
  }
  FactDatabase* self = fdb.get();
  fdb->should_stop_ = [self] { return self->ShouldStop(); };
  absl::Status registered = RegisterSandboxFunctions(db, &fdb->should_stop_);
  if (!registered.ok()) return registered;
  sqlite3_set_authorizer(db, &FactDatabase::Authorize, fdb.get());
  sqlite3_progress_handler(db, kProgressSteps, &FactDatabase::Progress,
                           fdb.get());
  return fdb;
}

FactDatabase::~FactDatabase() {
  for (auto& [name, stmt] : inserts_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

int FactDatabase::Authorize(void* self, int action, const char* a,
                            const char* b, const char* db,
                            const char* trigger) {
  auto* fdb = static_cast<FactDatabase*>(self);
  if (fdb->loading_) return SQLITE_OK;
  auto deny = [&](std::string why) {
    if (fdb->denied_.empty()) fdb->denied_ = std::move(why);
    return SQLITE_DENY;
  };
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_READ: {
      std::string table = a ? a : "";
      if (facts::FindTable(table) != nullptr) {
        if (fdb->tables_read_ != nullptr) fdb->tables_read_->insert(table);
        return SQLITE_OK;
      }
      // The sandbox holds only fact tables and SQLite's own; any other name
      // read here is a CTE or subquery of the check itself.
      if (absl::StartsWithIgnoreCase(table, "sqlite_")) {
        return deny(absl::StrCat("reading '", table,
                                 "' is not allowed; only fact tables"));
      }
      return SQLITE_OK;
    }
    case SQLITE_FUNCTION: {
      const char* why = b != nullptr ? WhyDenied(b) : nullptr;
      if (why != nullptr) {
        return deny(absl::StrCat("function ", b, "() is not allowed", why));
      }
      return SQLITE_OK;
    }
    case SQLITE_PRAGMA:
      return deny("PRAGMA is not allowed in checks");
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
      return deny("ATTACH is not allowed in checks");
    default:
      return deny("checks may only SELECT from fact tables");
  }
}

int FactDatabase::Progress(void* self) {
  return static_cast<FactDatabase*>(self)->ShouldStop() ? 1 : 0;
}

bool FactDatabase::ShouldStop() {
  // Facts are the device's own and bounded by the report size limit; a
  // check's time budget has nothing to say about loading them.
  if (loading_ || deadline_ == absl::InfiniteFuture()) return false;
  if (limits_.clock->Now() > deadline_) stopped_ = true;
  return stopped_;
}

absl::Status FactDatabase::Exec(const std::string& sql) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error(db_, sql);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PreparedQuery>> FactDatabase::Prepare(
    const std::string& sql) {
  std::unique_ptr<PreparedQuery> query(new PreparedQuery());
  denied_.clear();
  tables_read_ = &query->tables_;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &query->stmt_, &tail);
  tables_read_ = nullptr;
  if (rc != SQLITE_OK) {
    std::string why = denied_.empty() ? sqlite3_errmsg(db_) : denied_;
    return absl::InvalidArgumentError(why);
  }
  if (query->stmt_ == nullptr) {
    return absl::InvalidArgumentError("the query is empty");
  }
  while (tail != nullptr && (*tail == ' ' || *tail == '\n' || *tail == '\t' ||
                             *tail == '\r' || *tail == ';')) {
    ++tail;
  }
  if (tail != nullptr && *tail != '\0') {
    return absl::InvalidArgumentError("a check must be a single statement");
  }
  // Only SELECT (WITH ... SELECT, VALUES): REINDEX, ANALYZE, VACUUM,
  // BEGIN or EXPLAIN change state, read more than facts or answer with
  // something else; some never reach the authorizer.
  std::string keyword = FirstKeyword(sql);
  if (!sqlite3_stmt_readonly(query->stmt_) ||
      sqlite3_stmt_isexplain(query->stmt_) ||
      (keyword != "SELECT" && keyword != "WITH" && keyword != "VALUES")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a check must be a SELECT, not ",
        keyword.empty() ? std::string("this statement") : keyword));
  }
  return query;
}

absl::Status FactDatabase::Load(const std::vector<const v1::FactTable*>& tables,
                                const std::set<std::string>* only) {
  loading_ = true;
  absl::Status result;
  present_.clear();
  unknown_.clear();
  absl::Status begun = Exec("BEGIN");
  if (!begun.ok()) {
    loading_ = false;
    return begun;
  }
  for (const facts::TableSpec& t : facts::FactSchema()) {
    if (only != nullptr && !only->count(t.name)) continue;
    absl::Status emptied = Exec(absl::StrCat("DELETE FROM ", t.name));
    if (result.ok() && !emptied.ok()) result = emptied;
  }
  for (const v1::FactTable* table : tables) {
    const facts::TableSpec* spec = facts::FindTable(table->name());
    if (spec == nullptr) continue;
    if (table->status() != v1::FactTable::STATUS_OK) {
      unknown_[spec->name] = table->unknown_reason().empty()
                                 ? "the device could not read it"
                                 : table->unknown_reason();
      continue;
    }
    present_.insert(spec->name);
    if (only != nullptr && !only->count(spec->name)) continue;
    // Columns are matched by name, so a report from an older agent with
    // fewer columns still loads (missing columns are NULL).
    std::vector<int> slot(table->columns_size(), -1);
    for (int c = 0; c < table->columns_size(); ++c) {
      slot[c] = spec->ColumnIndex(table->columns(c));
    }
    sqlite3_stmt* insert = inserts_[spec->name];
    for (const v1::FactRow& row : table->rows()) {
      sqlite3_reset(insert);
      sqlite3_clear_bindings(insert);
      for (int c = 0; c < row.values_size() && c < table->columns_size(); ++c) {
        if (slot[c] < 0) continue;
        const v1::FactValue& v = row.values(c);
        int i = slot[c] + 1;
        switch (v.value_case()) {
          case v1::FactValue::kTextValue:
            sqlite3_bind_text(insert, i, v.text_value().data(),
                              static_cast<int>(v.text_value().size()),
                              SQLITE_STATIC);
            break;
          case v1::FactValue::kIntegerValue:
            sqlite3_bind_int64(insert, i, v.integer_value());
            break;
          case v1::FactValue::kRealValue:
            sqlite3_bind_double(insert, i, v.real_value());
            break;
          case v1::FactValue::kBoolValue:
            sqlite3_bind_int(insert, i, v.bool_value() ? 1 : 0);
            break;
          default:
            break;  // NULL
        }
      }
      if (sqlite3_step(insert) != SQLITE_DONE && result.ok()) {
        result = Error(db_, absl::StrCat("loading ", spec->name));
      }
    }
    sqlite3_reset(insert);
    sqlite3_clear_bindings(insert);
  }
  absl::Status committed = Exec("COMMIT");
  if (!committed.ok()) Exec("ROLLBACK").IgnoreError();
  loading_ = false;
  return result.ok() ? committed : result;
}

bool FactDatabase::HasTable(const std::string& table) const {
  return present_.count(table) > 0;
}

std::string FactDatabase::UnknownReason(const std::string& table) const {
  auto it = unknown_.find(table);
  if (it != unknown_.end()) return it->second;
  return "not reported by the device";
}

absl::Status FactDatabase::Step(sqlite3_stmt* stmt, bool* row) {
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *row = true;
    return absl::OkStatus();
  }
  *row = false;
  if (rc == SQLITE_DONE) return absl::OkStatus();
  if (rc == SQLITE_INTERRUPT || stopped_) {
    if (deadline_is_evaluation_) {
      return absl::DeadlineExceededError(absl::StrCat(
          kEvaluationBudgetUsedUp, " (",
          absl::FormatDuration(limits_.evaluation_time),
          " for all checks of one device) and the query was stopped"));
    }
    return absl::DeadlineExceededError(absl::StrCat(
        "the query ran longer than ",
        absl::FormatDuration(limits_.statement_time), " and was stopped"));
  }
  if (rc == SQLITE_TOOBIG) {
    return absl::ResourceExhaustedError(
        "the query built a value larger than the sandbox allows");
  }
  if (rc == SQLITE_NOMEM) {
    return absl::ResourceExhaustedError("the query ran out of memory");
  }
  return absl::InvalidArgumentError(sqlite3_errmsg(db_));
}

absl::StatusOr<bool> FactDatabase::Matches(PreparedQuery& query) {
  sqlite3_reset(query.stmt_);
  CheckRun run(*this);
  bool row = false;
  absl::Status s = Step(query.stmt_, &row);
  sqlite3_reset(query.stmt_);
  if (!s.ok()) return s;
  return row;
}

absl::StatusOr<QueryRows> FactDatabase::Fetch(PreparedQuery& query) {
  sqlite3_reset(query.stmt_);
  CheckRun run(*this);
  QueryRows out;
  size_t bytes = 0;
  int n = sqlite3_column_count(query.stmt_);
  for (int c = 0; c < n; ++c)
    out.columns.push_back(sqlite3_column_name(query.stmt_, c));
  while (true) {
    bool row = false;
    absl::Status s = Step(query.stmt_, &row);
    if (!s.ok()) {
      sqlite3_reset(query.stmt_);
      return s;
    }
    if (!row) break;
    // A row past the limits only says that there was more.
    if (static_cast<int>(out.rows.size()) >= limits_.max_rows_returned ||
        bytes > limits_.max_fetch_bytes) {
      out.truncated = true;
      break;
    }
    std::vector<std::string> values;
    for (int c = 0; c < n; ++c) {
      const unsigned char* text = sqlite3_column_text(query.stmt_, c);
      values.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
      bytes += values.back().size();
    }
    out.rows.push_back(std::move(values));
  }
  sqlite3_reset(query.stmt_);
  return out;
}

}  // namespace trellis::policy
