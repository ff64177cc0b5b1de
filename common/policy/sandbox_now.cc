#include "common/policy/sandbox_now.h"

#include <sqlite3.h>

#include <cstring>
#include <mutex>

namespace trellis::policy {
namespace {

constexpr char kVfsName[] = "trellis-sandbox";
// The Julian day number of the Unix epoch, in milliseconds.
constexpr sqlite3_int64 kUnixEpochJulianMs = 210866760000000LL;

thread_local const absl::Time* thread_now = nullptr;

sqlite3_vfs sandbox_vfs;
sqlite3_vfs* default_vfs = nullptr;

int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  if (thread_now == nullptr) {
    return default_vfs->xCurrentTimeInt64(default_vfs, out);
  }
  *out = kUnixEpochJulianMs + absl::ToUnixMillis(*thread_now);
  return SQLITE_OK;
}

int CurrentTime(sqlite3_vfs* vfs, double* out) {
  sqlite3_int64 ms = 0;
  int rc = CurrentTimeInt64(vfs, &ms);
  *out = static_cast<double>(ms) / 86400000.0;
  return rc;
}

}  // namespace

const char* SandboxVfsName() {
  static std::once_flag once;
  std::call_once(once, [] {
    default_vfs = sqlite3_vfs_find(nullptr);
    // Everything but the clock is the default VFS's (an in-memory database
    // touches it only for temporary files).
    std::memcpy(&sandbox_vfs, default_vfs, sizeof(sandbox_vfs));
    sandbox_vfs.zName = kVfsName;
    sandbox_vfs.pNext = nullptr;
    sandbox_vfs.xCurrentTime = &CurrentTime;
    if (sandbox_vfs.iVersion >= 2) {
      sandbox_vfs.xCurrentTimeInt64 = &CurrentTimeInt64;
    }
    sqlite3_vfs_register(&sandbox_vfs, /*makeDflt=*/0);
  });
  return kVfsName;
}

SandboxNow::SandboxNow(absl::Time now) : previous_(thread_now), now_(now) {
  thread_now = &now_;
}

SandboxNow::~SandboxNow() { thread_now = previous_; }

}  // namespace trellis::policy
