// The embedded default store: one SQLite file in WAL mode, one writer
// thread that commits queued write functions in groups, and a small pool of
// read connections that never wait for the writer.
#ifndef TRELLIS_SERVER_STORE_SQLITE_STORE_H_
#define TRELLIS_SERVER_STORE_SQLITE_STORE_H_

#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "server/store/sqlite_connection.h"
#include "server/store/store.h"

namespace trellis::server {

struct SqliteStoreOptions {
  std::string path;
  // Most write functions one commit may carry.
  int max_batch = 256;
  int read_connections = 4;
};

class SqliteStore : public Store {
 public:
  // Opens (creating if needed) and migrates the database, then starts the
  // writer thread.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      SqliteStoreOptions options);
  // Drains queued writes, then stops the writer.
  ~SqliteStore() override;

  absl::Status Read(const ReadFn& fn) override;
  void Write(WriteFn fn, DoneFn done) override;
  void AddCommitListener(CommitListener listener) override;

  // Number of commits so far; lets tests and benchmarks see grouping.
  uint64_t commit_count() const;

  // The writer connection's durability and WAL settings as SQLite reports
  // them (read on the writer thread).
  struct WriterSettings {
    int64_t synchronous = -1;  // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
    std::string journal_mode;
    int64_t wal_autocheckpoint = -1;
    int64_t journal_size_limit = -1;
  };
  absl::StatusOr<WriterSettings> ReadWriterSettings();

 private:
  struct PendingWrite {
    WriteFn fn;
    DoneFn done;
  };

  explicit SqliteStore(SqliteStoreOptions options);
  void WriterLoop();
  void CommitBatch(std::vector<PendingWrite>& batch);
  // After SQLITE_FULL: gives the WAL's space back to the disk if it can.
  void CheckpointAfterDiskFull();
  std::unique_ptr<SqliteConnection> AcquireReader();
  void ReleaseReader(std::unique_ptr<SqliteConnection> conn);

  SqliteStoreOptions options_;
  std::unique_ptr<SqliteConnection> writer_conn_;

  absl::Mutex listeners_mu_;
  std::vector<CommitListener> listeners_ ABSL_GUARDED_BY(listeners_mu_);

  mutable absl::Mutex queue_mu_;
  std::deque<PendingWrite> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  uint64_t commits_ ABSL_GUARDED_BY(queue_mu_) = 0;

  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_
      ABSL_GUARDED_BY(readers_mu_);

  std::thread writer_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_STORE_SQLITE_STORE_H_
