// Reading the PEM files of the server's state directory strictly, so a
// damaged file stops the server with an error naming the file and what is
// wrong, instead of surfacing later as an unrelated TLS or signing failure.
#ifndef TRELLIS_SERVER_PKI_STATE_FILES_H_
#define TRELLIS_SERVER_PKI_STATE_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::server {

// The text of `path`, which must hold exactly one PEM block and nothing else
// but surrounding whitespace. DataLoss "PATH: ..." otherwise (unreadable,
// empty, truncated, several blocks, stray text).
absl::StatusOr<std::string> ReadPemStateFile(const std::string& path);

// DataLoss "PATH: WHAT" — for content that is PEM but does not parse or
// does not fit (a key that is not the certificate's).
absl::Status DamagedStateFile(absl::string_view path, absl::string_view what);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_PKI_STATE_FILES_H_
