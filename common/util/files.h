// Small file helpers with Status errors that name the path.
#ifndef TRELLIS_COMMON_UTIL_FILES_H_
#define TRELLIS_COMMON_UTIL_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace trellis {

absl::StatusOr<std::string> ReadFile(const std::string& path);

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
