// secure_boot on Windows: Confirm-SecureBootUEFI. The cmdlet answers
// True/False on UEFI machines and fails, with a status code that does not
// depend on the display language, where there is no UEFI Secure Boot; it
// needs an elevated agent ("Access was denied" otherwise).
#ifndef TRELLIS_AGENT_FACTS_WINDOWS_SECURE_BOOT_PARSER_H_
#define TRELLIS_AGENT_FACTS_WINDOWS_SECURE_BOOT_PARSER_H_

#include <optional>

#include "absl/status/statusor.h"
#include "common/exec/command_runner.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::windows_facts {

inline constexpr char kSecureBootScript[] = "Confirm-SecureBootUEFI";

struct SecureBootState {
  bool supported = false;
  bool enabled = false;
};

// Reads the whole run, since "not supported" is the cmdlet failing:
//   exit 0, true/false              -> supported, enabled as printed
//   0xC0000002 / "not supported on this platform" (legacy BIOS)
//                                   -> unsupported, not enabled
//   0xC0000100 "Variable is currently undefined" (UEFI firmware without
//   the SecureBoot variable)        -> supported (UEFI), not enabled
//   any other failure or output     -> error
absl::StatusOr<SecureBootState> ParseConfirmSecureBootUefi(
    const CommandResult& result);

// One row, source 'windows'.
v1::FactTable BuildSecureBootTable(const SecureBootState& state);

}  // namespace trellis::agent::windows_facts

#endif  // TRELLIS_AGENT_FACTS_WINDOWS_SECURE_BOOT_PARSER_H_
