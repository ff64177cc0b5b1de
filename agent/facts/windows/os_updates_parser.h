// os_updates on Windows: the Windows Update Agent's search for updates not
// yet installed, and the NoAutoUpdate policy.
#ifndef TRELLIS_AGENT_FACTS_WINDOWS_OS_UPDATES_PARSER_H_
#define TRELLIS_AGENT_FACTS_WINDOWS_OS_UPDATES_PARSER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::windows_facts {

// The search can take minutes when it goes online; past the command
// timeout the table is unknown, never "0 pending".
inline constexpr char kPendingUpdatesScript[] =
    "(New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()"
    ".Search('IsInstalled=0').Updates | Select-Object Title,MsrcSeverity";

inline constexpr char kNoAutoUpdateScript[] =
    "Get-ItemProperty -Path "
    "'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU' "
    "-Name NoAutoUpdate | Select-Object NoAutoUpdate";

struct PendingUpdate {
  std::string title;
  // "Critical", "Important", "Moderate", "Low"; set only on security
  // updates.
  std::optional<std::string> msrc_severity;
};

// Parses the update list. Empty output is a valid answer (no objects went
// through ConvertTo-Json: nothing pending) once the caller has checked the
// run succeeded.
absl::StatusOr<std::vector<PendingUpdate>> ParsePendingUpdates(
    absl::string_view json);

// True for updates with an MSRC severity, or whose title says security.
// Titles are localised, hence the German, French and Spanish words; the
// severity, which is not localised, catches the rest.
bool IsSecurityUpdate(const PendingUpdate& update);

// Parses {"NoAutoUpdate": 1}: 1 -> automatic updates off, 0 -> on.
absl::StatusOr<bool> ParseNoAutoUpdate(absl::string_view json);

// One row: manager 'windows-update', days_since_last_update NULL (not
// read). automatic_updates NULL when the policy is not set, since then it
// depends on edition and settings outside the policy key.
v1::FactTable BuildOsUpdatesTable(const std::vector<PendingUpdate>& updates,
                                  std::optional<bool> automatic_updates);

}  // namespace trellis::agent::windows_facts

#endif  // TRELLIS_AGENT_FACTS_WINDOWS_OS_UPDATES_PARSER_H_
