// What the writer connection promises: a write acknowledged after commit
// survives power loss (synchronous=FULL; NORMAL in WAL mode can roll the
// last commits back), and the WAL stays small on small volumes.
#include <memory>

#include "gtest/gtest.h"
#include "server/store/sqlite_connection.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

TEST(StoreDurabilityTest, WriterCommitsWithSynchronousFullAndABoundedWal) {
  testing::TempDir dir;
  auto store = SqliteStore::Open({dir.File("trellis.db")});
  ASSERT_TRUE(store.ok()) << store.status();
  auto settings = (*store)->ReadWriterSettings();
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->synchronous, 2) << "2 is FULL";
  EXPECT_EQ(settings->journal_mode, "wal");
  EXPECT_EQ(settings->wal_autocheckpoint, kWalAutocheckpointPages);
  EXPECT_EQ(settings->journal_size_limit, kJournalSizeLimitBytes);
}

}  // namespace
}  // namespace trellis::server
