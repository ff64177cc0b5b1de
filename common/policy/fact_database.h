// The sandbox checks run in: an in-memory SQLite database holding one
// device's facts in tables declared by the fact schema.
//
// Containment, enforced by SQLite itself:
//  - an authorizer that allows only SELECT, reads of fact tables and
//    ordinary functions (no ATTACH, PRAGMA, writes, schema changes,
//    load_extension, or reads of sqlite_master);
//  - a progress handler that interrupts a check after its time budget
//    (a recursive CTE that never ends), looking at the clock every 100 VM
//    steps; the budget starts when the check starts and is disarmed
//    otherwise, so loading facts is never cut;
//  - no single step that runs long: like/glob/instr/replace/trim are
//    replaced by linear or metered versions (sandbox_functions.h), and
//    printf/format are denied;
//  - limits on string/blob length and expression depth (zeroblob, replace
//    and printf cannot allocate gigabytes);
//  - results that depend on the facts alone: functions that read anything
//    else (random, changes, the SQLite build) are denied, and 'now' is the
//    report's collection time (sandbox_now.h).
// The loader writes with the authorizer switched off; checks never can.
#ifndef TRELLIS_COMMON_POLICY_FACT_DATABASE_H_
#define TRELLIS_COMMON_POLICY_FACT_DATABASE_H_

#include <sqlite3.h>

#include <functional>
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

// Starts the error of a check stopped (or not run) because the evaluation
// of its device ran out of time.
inline constexpr char kEvaluationBudgetUsedUp[] =
    "the evaluation budget for this device was used up";

struct SandboxLimits {
  // Time one check (Matches or Fetch) may run, from its start.
  absl::Duration statement_time = absl::Milliseconds(50);
  // Time all checks of one device's evaluation may run together (the
  // Evaluator's budget; facts loading is not counted). Well under the
  // agent's 15 s check-in RPC deadline, which also covers the network, the
  // store's commit and a bundle download.
  absl::Duration evaluation_time = absl::Seconds(2);
  int max_string_bytes = 256 << 10;
  int max_rows_returned = 1000;
  // Text a Fetch collects before it stops (detail is cut far below this).
  size_t max_fetch_bytes = 64 << 10;
  // Detail text kept per failing check, and per verdict (errors, at most
  // 1 KB each, count towards it but are not cut further: they say why a
  // check could not be judged); what is cut says so.
  size_t max_detail_bytes = 4 << 10;
  size_t max_verdict_text_bytes = 64 << 10;
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
  // More rows (or bytes) were there than the limits let Fetch collect.
  bool truncated = false;
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

  // 'now' for date and time functions: the report's collection time.
  void SetNow(absl::Time now) { now_ = now; }
  // When the whole evaluation's budget ends (InfiniteFuture: no budget). A
  // check that reaches it stops with an error saying so.
  void SetEvaluationDeadline(absl::Time deadline) {
    evaluation_deadline_ = deadline;
  }
  const SandboxLimits& limits() const { return limits_; }

  // Runs a prepared query: true when it returns at least one row.
  absl::StatusOr<bool> Matches(PreparedQuery& query);
  // Runs a prepared query and collects up to max_rows_returned rows.
  absl::StatusOr<QueryRows> Fetch(PreparedQuery& query);

 private:
  explicit FactDatabase(SandboxLimits limits) : limits_(limits) {}
  static int Authorize(void* self, int action, const char* a, const char* b,
                       const char* db, const char* trigger);
  static int Progress(void* self);
  friend class CheckRun;
  // True when the running check must stop (reads the clock).
  bool ShouldStop();
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
  // The running check's deadline is the evaluation's, not its own.
  bool deadline_is_evaluation_ = false;
  // The running check was stopped for time (by the progress handler or
  // inside a sandbox function).
  bool stopped_ = false;
  absl::Time evaluation_deadline_ = absl::InfiniteFuture();
  absl::Time now_ = absl::InfinitePast();  // unset: the real clock
  // Asked by the sandbox functions during long work.
  std::function<bool()> should_stop_;
};

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_FACT_DATABASE_H_
