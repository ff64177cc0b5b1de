// disk-space: free space on / and on the filesystem of the agent's state
// directory (a full one stops the agent saving its state).
//
// Basic class: sizes of two filesystems, nothing about their content.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"

namespace trellis::agent::diagnostics {
namespace {

absl::Status Run(DiagnosticContext& context) {
  int failed = 0;
  for (const std::string& path :
       {std::string("/"), context.env().state->dir()}) {
    if (absl::Status s = context.CheckContinue(); !s.ok()) return s;
    auto usage = context.env().filesystems->Usage(path);
    if (!usage.ok()) {
      context.Line(absl::StrCat(path, ": ", usage.status().message()));
      ++failed;
      continue;
    }
    const double used =
        usage->total_bytes == 0
            ? 0
            : 100.0 * (usage->total_bytes - usage->available_bytes) /
                  usage->total_bytes;
    context.Line(absl::StrFormat("%s: %s available of %s (%.0f%% used)", path,
                                 HumanBytes(usage->available_bytes),
                                 HumanBytes(usage->total_bytes), used));
  }
  if (failed > 0) {
    return absl::UnavailableError(
        absl::StrCat(failed, " filesystem(s) could not be read"));
  }
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec DiskSpace() {
  return MakeDiagnostic(
      "disk-space", PrivacyClass::kBasic, absl::Seconds(5), 2 << 10,
      "free space on / and on the agent's state directory", Run);
}

}  // namespace trellis::agent::diagnostics
