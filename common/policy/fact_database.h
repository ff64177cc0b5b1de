// The sandbox checks run in: an in-memory SQLite database holding one
// device's facts in tables declared by the fact schema.
//
// Containment, enforced by SQLite itself:
//  - an authorizer that allows only SELECT, reads of fact tables and
//    ordinary functions (no ATTACH, PRAGMA, writes, schema changes,
//    load_extension, or reads of sqlite_master);
//  - a progress handler that interrupts a check after its time budget
//    (a recursive CTE that never ends); the budget starts when the check
//    starts and is disarmed otherwise, so loading facts is never cut;
//  - limits on string/blob length and expression depth (zeroblob, replace
//    and printf cannot allocate gigabytes).
// The loader writes with the authorizer switched off; checks never can.
#ifndef TRELLIS_COMMON_POLICY_FACT_DATABASE_H_
#define TRELLIS_COMMON_POLICY_FACT_DATABASE_H_

#include <sqlite3.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "trellis/v1/common.pb.h"

namespace trellis::policy {

struct SandboxLimits {
  // Time one check (Matches or Fetch) may run, from its start.
  absl::Duration statement_time = absl::Milliseconds(50);
  int max_string_bytes = 256 << 10;
  int max_rows_returned = 1000;
  // Measures statement_time; not owned.
  const Clock* clock = Clock::Real();
};

// A check's statement, prepared once and run against each device.
class PreparedQuery {
 public:
  ~PreparedQuery();
  PreparedQuery(const PreparedQuery&) = delete;
  PreparedQuery& operator=(const PreparedQuery&) = delete;

  // Fact tables the query reads (found by the authorizer while preparing).
  const std::set<std::string>& tables() const { return tables_; }

 private:
  friend class FactDatabase;
  PreparedQuery() = default;
  sqlite3_stmt* stmt_ = nullptr;
  std::set<std::string> tables_;
};

struct QueryRows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // values as text ("NULL")
};

class FactDatabase {
 public:
  static absl::StatusOr<std::unique_ptr<FactDatabase>> Create(
      SandboxLimits limits = SandboxLimits());
  ~FactDatabase();

  // Prepares a check query. InvalidArgument naming the problem when it is
  // not a single SELECT over known fact tables and columns.
  absl::StatusOr<std::unique_ptr<PreparedQuery>> Prepare(
      const std::string& sql);

  // Replaces all facts with `tables` (tables not given are emptied and
  // marked missing). With `only`, rows are loaded for those tables alone
  // (the ones the compiled checks read); the rest are only noted present.
  absl::Status Load(const std::vector<const v1::FactTable*>& tables,
                    const std::set<std::string>* only = nullptr);

  // True when the last Load had this table with status OK.
  bool HasTable(const std::string& table) const;
  // Why a table is unknown: its unknown_reason, or "not reported".
  std::string UnknownReason(const std::string& table) const;

  // Runs a prepared query: true when it returns at least one row.
  absl::StatusOr<bool> Matches(PreparedQuery& query);
  // Runs a prepared query and collects up to max_rows_returned rows.
  absl::StatusOr<QueryRows> Fetch(PreparedQuery& query);

 private:
  explicit FactDatabase(SandboxLimits limits) : limits_(limits) {}
  static int Authorize(void* self, int action, const char* a, const char* b,
                       const char* db, const char* trigger);
  static int Progress(void* self);
  absl::Status Step(sqlite3_stmt* stmt, bool* row);
  absl::Status Exec(const std::string& sql);

  SandboxLimits limits_;
  sqlite3* db_ = nullptr;
  // Insert statements per table, prepared once.
  absl::flat_hash_map<std::string, sqlite3_stmt*> inserts_;
  absl::flat_hash_map<std::string, std::string> unknown_;  // table -> reason
  std::set<std::string> present_;
  // Authorizer state.
  bool loading_ = false;
  std::set<std::string>* tables_read_ = nullptr;
  std::string denied_;
  // When the running check must stop. SQLite counts progress steps per
  // statement across runs (a prepared insert reaches its next callback in
  // a later Load), so outside a check this stays disarmed.
  absl::Time deadline_ = absl::InfiniteFuture();
};

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_FACT_DATABASE_H_
