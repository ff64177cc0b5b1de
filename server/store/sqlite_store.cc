#include "server/store/sqlite_store.h"

#include "absl/strings/str_cat.h"
#include "common/util/logging.h"
#include "server/store/migrations.h"
#include "server/store/sqlite_queries.h"

namespace trellis::server {

SqliteStore::SqliteStore(SqliteStoreOptions options)
    : options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    SqliteStoreOptions options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(options)));
  auto conn = SqliteConnection::Open(store->options_.path, /*read_only=*/false);
  if (!conn.ok()) return conn.status();
  // A WAL left large by an earlier run (a disk that filled up before any
  // checkpoint could run) is folded in and truncated first, so a restart
  // gets its space back.
  absl::Status truncated = (*conn)->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  if (!truncated.ok()) {
    LogError("store: cannot checkpoint the WAL at start: ",
             truncated.message());
  }
  absl::Status migrated = Migrate(**conn);
  if (!migrated.ok()) return migrated;
  store->writer_conn_ = *std::move(conn);
  store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  return store;
}

SqliteStore::~SqliteStore() {
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
}

uint64_t SqliteStore::commit_count() const {
  absl::MutexLock lock(&queue_mu_);
  return commits_;
}

std::unique_ptr<SqliteConnection> SqliteStore::AcquireReader() {
  {
    absl::MutexLock lock(&readers_mu_);
    if (!idle_readers_.empty()) {
      auto conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return conn;
    }
  }
  auto conn = SqliteConnection::Open(options_.path, /*read_only=*/true);
  if (!conn.ok()) {
    LogError("store: cannot open read connection: ", conn.status().message());
    return nullptr;
  }
  return *std::move(conn);
}

void SqliteStore::ReleaseReader(std::unique_ptr<SqliteConnection> conn) {
  absl::MutexLock lock(&readers_mu_);
  if (static_cast<int>(idle_readers_.size()) < options_.read_connections) {
    idle_readers_.push_back(std::move(conn));
  }
}

absl::Status SqliteStore::Read(const ReadFn& fn) {
  std::unique_ptr<SqliteConnection> conn = AcquireReader();
  if (conn == nullptr) {
    return absl::UnavailableError("store: no read connection available");
  }
  // An explicit transaction gives fn one consistent snapshot.
  absl::Status s = conn->Exec("BEGIN");
  if (s.ok()) {
    SqliteQueries queries(conn.get());
    s = fn(queries);
    absl::Status end = conn->Exec("COMMIT");
    if (s.ok()) s = end;
  }
  ReleaseReader(std::move(conn));
  return s;
}

void SqliteStore::Write(WriteFn fn, DoneFn done) {
  {
    absl::MutexLock lock(&queue_mu_);
    if (!stopping_) {
      queue_.push_back(PendingWrite{std::move(fn), std::move(done)});
      return;
    }
  }
  // Outside the lock: `done` may itself call into the store.
  done(absl::UnavailableError("store is shutting down"));
}

void SqliteStore::WriterLoop() {
  while (true) {
    std::vector<PendingWrite> batch;
    {
      absl::MutexLock lock(&queue_mu_);
      queue_mu_.Await(absl::Condition(
          +[](SqliteStore* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->queue_mu_) {
            return s->stopping_ || !s->queue_.empty();
          },
          this));
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() &&
             static_cast<int>(batch.size()) < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitBatch(batch);
  }
}

void SqliteStore::AddCommitListener(CommitListener listener) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_.push_back(std::move(listener));
}

void SqliteStore::CommitBatch(std::vector<PendingWrite>& batch) {
  std::vector<absl::Status> results(batch.size());
  absl::Status begin = writer_conn_->Exec("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    if (IsDiskFull(begin)) CheckpointAfterDiskFull();
    for (auto& w : batch) w.done(begin);
    return;
  }
  SqliteQueries queries(writer_conn_.get());
  // Set when SQLite itself ended the transaction (it may, on SQLITE_FULL or
  // an I/O error): the earlier functions' changes are gone too.
  absl::Status lost;
  CommitEvents events;
  for (size_t i = 0; i < batch.size() && lost.ok(); ++i) {
    // A savepoint per function: one failure must not undo its neighbours.
    CommitEvents fn_events;
    queries.set_events(&fn_events);
    absl::Status s = writer_conn_->Exec("SAVEPOINT w");
    if (s.ok()) s = batch[i].fn(queries);
    if (s.ok()) {
      s = writer_conn_->Exec("RELEASE w");
      if (s.ok()) events.MergeFrom(fn_events);
    } else if (sqlite3_get_autocommit(writer_conn_->raw())) {
      lost = s;
    } else {
      writer_conn_->Exec("ROLLBACK TO w").IgnoreError();
      writer_conn_->Exec("RELEASE w").IgnoreError();
    }
    results[i] = s;
  }
  absl::Status commit = lost.ok() ? writer_conn_->Exec("COMMIT") : lost;
  if (!commit.ok()) {
    LogError("store: commit of ", batch.size(),
             " writes failed: ", commit.message());
    if (!sqlite3_get_autocommit(writer_conn_->raw())) {
      writer_conn_->Exec("ROLLBACK").IgnoreError();
    }
  }
  bool disk_full = IsDiskFull(commit);
  for (const absl::Status& r : results) disk_full = disk_full || IsDiskFull(r);
  if (disk_full) CheckpointAfterDiskFull();
  {
    absl::MutexLock lock(&queue_mu_);
    ++commits_;
  }
  queries.set_events(nullptr);
  if (commit.ok() && !events.empty()) {
    absl::ReaderMutexLock lock(&listeners_mu_);
    for (const CommitListener& listener : listeners_) listener(events);
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i].done(commit.ok() ? results[i] : commit);
  }
}

void SqliteStore::CheckpointAfterDiskFull() {
  // Copies committed WAL frames into the database and truncates the WAL;
  // fails harmlessly (and is retried on the next full disk) while readers
  // hold old snapshots or the database file itself cannot grow.
  absl::Status s = writer_conn_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  LogError("store: the disk holding ", options_.path, " is full; ",
           s.ok() ? "checkpointed and truncated the WAL to give space back"
                  : absl::StrCat("writes fail until space is freed (WAL "
                                 "checkpoint failed: ",
                                 s.message(), ")"));
}

absl::StatusOr<SqliteStore::WriterSettings> SqliteStore::ReadWriterSettings() {
  WriterSettings out;
  absl::Status s = WriteSync([&](StoreWriter&) -> absl::Status {
    // Runs on the writer thread, so the writer connection is ours here.
    for (auto [pragma, value] :
         {std::pair<const char*, int64_t*>{"synchronous", &out.synchronous},
          {"wal_autocheckpoint", &out.wal_autocheckpoint},
          {"journal_size_limit", &out.journal_size_limit}}) {
      auto stmt = writer_conn_->Prepare(absl::StrCat("PRAGMA ", pragma));
      if (!stmt.ok()) return stmt.status();
      absl::StatusOr<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      *value = stmt->Int(0);
    }
    auto mode = writer_conn_->Prepare("PRAGMA journal_mode");
    if (!mode.ok()) return mode.status();
    absl::StatusOr<bool> row = mode->Step();
    if (!row.ok()) return row.status();
    out.journal_mode = mode->Text(0);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace trellis::server
