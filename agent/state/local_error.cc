#include "agent/state/local_error.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace trellis::agent {
namespace {

constexpr char kLocalErrorUrl[] = "type.trellis.dev/agent.LocalError";

}  // namespace

absl::Status LocalError(const absl::Status& cause, absl::string_view what) {
  if (cause.ok() || IsLocalError(cause)) return cause;
  absl::Status local(
      absl::StatusCode::kInternal,
      absl::StrCat("local error: ", what, ": ", cause.message()));
  local.SetPayload(kLocalErrorUrl,
                   absl::Cord(absl::StatusCodeToString(cause.code())));
  return local;
}

bool IsLocalError(const absl::Status& status) {
  return status.GetPayload(kLocalErrorUrl).has_value();
}

}  // namespace trellis::agent
