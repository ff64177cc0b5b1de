// The store on a volume that fills up: writes fail with a clear
// RESOURCE_EXHAUSTED, reads go on, and writes resume once space is back,
// without losing anything that was acknowledged. Runs on a real, small
// tmpfs (needs root to mount it; skipped with the reason otherwise).
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/audit/audit_chain.h"
#include "server/audit/audit_log.h"
#include "server/store/sqlite_connection.h"
#include "server/store/sqlite_store.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

constexpr char kDiskFull[] = "disk holding the server's database is full";

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mount_point_ = temp_.File("volume");
    ASSERT_EQ(mkdir(mount_point_.c_str(), 0700), 0);
    if (geteuid() != 0) {
      GTEST_SKIP() << "needs root to mount a small tmpfs";
    }
    if (mount("tmpfs", mount_point_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
              "size=1m,mode=0700") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs: " << std::strerror(errno);
    }
    mounted_ = true;
  }

  void TearDown() override {
    store_.reset();
    if (mounted_) umount2(mount_point_.c_str(), MNT_DETACH);
  }

  void Open() {
    store_.reset();
    auto store = SqliteStore::Open({mount_point_ + "/trellis.db"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  absl::StatusOr<AuditRecord> Append(int n) {
    AuditRecord stored;
    absl::Status s = store_->WriteSync([&](StoreWriter& w) -> absl::Status {
      AuditRecord a;
      a.time = absl::FromUnixSeconds(1767225600 + n);
      a.actor = "test";
      a.action = "test.fill";
      a.target = absl::StrCat("entry-", n);
      a.details_json =
          absl::StrCat("{\"pad\":\"", std::string(2000, 'x'), "\"}");
      auto r = AppendAudit(w, a);
      if (!r.ok()) return r.status();
      stored = *r;
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return stored;
  }

  std::vector<AuditRecord> ReadAudit() {
    std::vector<AuditRecord> out;
    absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
      auto all = r.ListAudit(0, 100000);
      if (!all.ok()) return all.status();
      out = *std::move(all);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  testing::TempDir temp_;
  std::string mount_point_;
  bool mounted_ = false;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(DiskFullTest,
       WritesFailClearlyReadsGoOnAndWritesResumeWhenSpaceIsFreed) {
  // Space someone else on the volume holds, freed later.
  std::string filler = mount_point_ + "/filler";
  ASSERT_TRUE(WriteFileAtomic(filler, std::string(300 << 10, 'f')).ok());
  Open();

  std::vector<std::string> acknowledged;
  absl::Status failure;
  for (int n = 0; n < 1000; ++n) {
    auto r = Append(n);
    if (!r.ok()) {
      failure = r.status();
      break;
    }
    acknowledged.push_back(r->target);
  }
  ASSERT_FALSE(failure.ok()) << "the 1 MiB volume never filled up";
  ASSERT_FALSE(acknowledged.empty());
  EXPECT_EQ(failure.code(), absl::StatusCode::kResourceExhausted) << failure;
  EXPECT_THAT(failure.message(), HasSubstr(kDiskFull));
  EXPECT_TRUE(IsDiskFull(failure));

  // Reads still answer, with every acknowledged entry.
  EXPECT_EQ(ReadAudit().size(), acknowledged.size());

  // Space comes back: the very next write succeeds.
  ASSERT_EQ(unlink(filler.c_str()), 0);
  auto after = Append(5000);
  ASSERT_TRUE(after.ok()) << after.status();
  acknowledged.push_back(after->target);

  // Nothing acknowledged was lost, and the chain is whole, after a restart.
  Open();
  std::vector<AuditRecord> entries = ReadAudit();
  ASSERT_EQ(entries.size(), acknowledged.size());
  AuditChainVerifier verifier;
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].target, acknowledged[i]);
    verifier.Add(entries[i]);
  }
  EXPECT_TRUE(verifier.verdict().intact) << verifier.verdict().problem;
}

TEST_F(DiskFullTest, AWalThatFilledTheVolumeIsCheckpointedAndWritesResume) {
  // The usual server load: the same few rows rewritten again and again. The
  // WAL holds a copy of the page per commit, the database stays small, and
  // on a small volume the WAL fills the disk long before SQLite's automatic
  // checkpoint (1000 pages by default) would fold it back.
  Open();
  DeviceRecord device;
  device.device_id = "dev-1";
  device.key_hash = std::string(32, 'k');
  device.hostname = "laptop";
  device.platform = v1::PLATFORM_LINUX;
  device.ownership = v1::OWNERSHIP_CORPORATE;
  device.state = v1::DEVICE_STATE_ACTIVE;
  device.enrolled_at = absl::FromUnixSeconds(1767225600);
  device.cert_expires_at = device.enrolled_at + absl::Hours(24);
  ASSERT_TRUE(
      store_->WriteSync([&](StoreWriter& w) { return w.InsertDevice(device); })
          .ok());
  auto put = [&](int n) {
    return store_->WriteSync([&](StoreWriter& w) {
      // Distinct bytes, so no page compresses away in the WAL.
      std::string report(6000, '\0');
      for (size_t i = 0; i < report.size(); ++i) {
        report[i] = static_cast<char>((i * 7 + n * 13) & 0xff);
      }
      return w.PutLastReport("dev-1", n, device.enrolled_at, report);
    });
  };
  // A server that has run a while: its database file holds every page the
  // rows need (a checkpoint copied them there), only the WAL grows.
  for (int n = 1; n <= 5; ++n) ASSERT_TRUE(put(n).ok());
  Open();
  int failed_at = -1;
  absl::Status failure;
  for (int n = 6; n <= 2000; ++n) {
    failure = put(n);
    if (!failure.ok()) {
      failed_at = n;
      break;
    }
  }
  ASSERT_GT(failed_at, 0) << "the 1 MiB volume never filled up";
  EXPECT_EQ(failure.code(), absl::StatusCode::kResourceExhausted) << failure;
  EXPECT_THAT(failure.message(), HasSubstr(kDiskFull));

  // Nothing else was freed: the store gave the WAL's space back itself (a
  // fifth of what filled the volume is plenty to show it).
  const int again = failed_at / 5;
  for (int n = failed_at; n < failed_at + again; ++n) {
    absl::Status s = put(n);
    ASSERT_TRUE(s.ok()) << "write " << n << " after the disk filled: " << s;
  }
  std::optional<std::string> last;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    auto got = r.GetLastReport("dev-1");
                    if (!got.ok()) return got.status();
                    last = *got;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(static_cast<unsigned char>((*last)[1]),
            (7 + (failed_at + again - 1) * 13) & 0xff);
}

}  // namespace
}  // namespace trellis::server
