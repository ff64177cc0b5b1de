// Small file helpers with Status errors that name the path.
#ifndef TRELLIS_COMMON_UTIL_FILES_H_
#define TRELLIS_COMMON_UTIL_FILES_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace trellis {

// Larger than any file the binaries read (credentials, state files, bundles,
// configuration, dpkg's status file), small enough that a mistaken path
// cannot exhaust memory.
inline constexpr size_t kMaxFileBytes = size_t{16} << 20;

// The content of the regular file at `path` (symbolic links followed), at
// most `max_bytes`. Anything else is refused without blocking: a directory,
// a FIFO (no writer needed to refuse it), a device such as /dev/zero, or a
// file over the limit. The limit holds while reading too, since /proc and
// /sys report sizes of 0 or 4096 and a file may grow as it is read.
// FailedPrecondition naming the path (and the limit) for those; NotFound,
// PermissionDenied or Internal from the system otherwise.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     size_t max_bytes = kMaxFileBytes);

// Writes via a temporary file in the same directory, fsync and rename, so a
// crash leaves either the old or the new content. `mode` is applied to the
// temporary file before any byte is written (keys are never world-readable,
// not even briefly).
absl::Status WriteFileAtomic(const std::string& path,
                             const std::string& content, int mode = 0644);

// mkdir -p with `mode` for directories it creates.
absl::Status MakeDirs(const std::string& path, int mode = 0700);

bool FileExists(const std::string& path);

// Permission bits of a file, or an error.
absl::StatusOr<int> FileMode(const std::string& path);

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_FILES_H_
