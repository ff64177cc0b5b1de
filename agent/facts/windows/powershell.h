// How the Windows collectors ask the system: one Windows PowerShell
// pipeline per question, its objects printed with ConvertTo-Json, read back
// as google.protobuf.Struct. The JSON helpers are pure and tested against
// recorded output; RunPowerShell is the only part that runs anything.
#ifndef TRELLIS_AGENT_FACTS_WINDOWS_POWERSHELL_H_
#define TRELLIS_AGENT_FACTS_WINDOWS_POWERSHELL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/facts/collector.h"
#include "common/exec/command_runner.h"
#include "google/protobuf/struct.pb.h"

namespace trellis::agent::windows_facts {

// {"powershell.exe", "-NoProfile", "-NonInteractive", "-Command", ...} for
// `script | ConvertTo-Json -Depth 3`. The command first silences progress
// records (otherwise serialised to stderr as CLIXML when output is
// redirected) and switches the console to UTF-8 (Windows PowerShell writes
// the OEM code page, e.g. CP850, by default, which mangles non-ASCII
// account names).
std::vector<std::string> PowerShellJsonArgv(absl::string_view script);

// Why a finished PowerShell run did not answer, or nullopt when it did:
// a non-zero exit, or error text on stderr (a non-terminating cmdlet error
// can leave the exit status 0). A CLIXML stderr holding only progress
// records is not an error.
std::optional<std::string> PowerShellFailure(const CommandResult& result);

// Runs `script` through PowerShellJsonArgv. Every failure, including
// PowerShellFailure, comes back as an error whose message starts with
// `label` (a short name for the command, e.g. "Get-BitLockerVolume").
absl::StatusOr<std::string> RunPowerShell(CollectContext& ctx,
                                          absl::string_view label,
                                          absl::string_view script);

// The JSON value printed by ConvertTo-Json, after a UTF-8 byte order mark
// and any lines before the JSON (e.g. "WARNING: ...") are skipped. Empty
// output (no objects in the pipeline) is a null value.
absl::StatusOr<google::protobuf::Value> ParsePowerShellJson(
    absl::string_view text);

// The objects in ConvertTo-Json output: an array's elements, the single
// object PowerShell prints when the pipeline held one item, or none for
// empty output. Anything else (a bare string, an array of numbers) is an
// error.
absl::StatusOr<std::vector<google::protobuf::Struct>> ParsePowerShellObjects(
    absl::string_view text);

// Field readers that accept each form PowerShell uses. All return nullopt
// for a missing field, JSON null, or a value of another kind.
//   GetString:  a string (trimmed); numbers are not converted
//   GetBool:    true/false, 1/0, "True"/"False"
//   GetInteger: an integral number, or a string of digits
//   GetEnum:    an integral number, or one of `names` (case-insensitive),
//               since enums print as numbers in Windows PowerShell 5.1 and
//               may print as names elsewhere (-EnumsAsStrings, PowerShell 7)
std::optional<std::string> GetString(const google::protobuf::Struct& object,
                                     absl::string_view field);
std::optional<bool> GetBool(const google::protobuf::Struct& object,
                            absl::string_view field);
std::optional<int64_t> GetInteger(const google::protobuf::Struct& object,
                                  absl::string_view field);
std::optional<int64_t> GetEnum(
    const google::protobuf::Struct& object, absl::string_view field,
    const std::vector<std::pair<absl::string_view, int64_t>>& names);

}  // namespace trellis::agent::windows_facts

#endif  // TRELLIS_AGENT_FACTS_WINDOWS_POWERSHELL_H_
