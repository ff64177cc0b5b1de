// Errors of this device's own files (the state directory, its keys): a
// failed read or write here is never the server's word about the device.
// common/util/files.h maps EACCES to PermissionDenied, which is also how the
// server says "revoked"; so the agent re-marks local errors with a code and
// payload of their own, and only a server answer may stop the agent.
#ifndef TRELLIS_AGENT_STATE_LOCAL_ERROR_H_
#define TRELLIS_AGENT_STATE_LOCAL_ERROR_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace trellis::agent {

// `cause` (which names the file) as a local error: code kInternal, message
// "local error: <what>: <cause>". OK stays OK; an error already local is
// returned unchanged.
absl::Status LocalError(const absl::Status& cause, absl::string_view what);

// True for errors made by LocalError.
bool IsLocalError(const absl::Status& status);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_STATE_LOCAL_ERROR_H_
