// secure_boot on macOS: System Integrity Protection from `csrutil status`.
//
// Macs have no user-visible UEFI Secure Boot state. SIP is the boot-chain
// integrity control an administrator can turn off (from recoveryOS), so it
// is what this table reports on macOS, with source 'csrutil'. Apple Secure
// Boot's own security level (Full/Reduced/Permissive) needs root-only tools
// (bputil) and is not read.
#ifndef TRELLIS_AGENT_FACTS_MACOS_SECURE_BOOT_PARSER_H_
#define TRELLIS_AGENT_FACTS_MACOS_SECURE_BOOT_PARSER_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::macos_facts {

struct SipStatus {
  std::string status;  // "enabled", "disabled" or "unknown"
  bool custom_configuration = false;
  // Under "Configuration:" in a custom configuration: ("Kext Signing",
  // true), ...
  std::vector<std::pair<std::string, bool>> protections;
};

// Parses "System Integrity Protection status: enabled." and the custom
// configuration form with its list of protections.
absl::StatusOr<SipStatus> ParseCsrutilStatus(absl::string_view text);

// Whether SIP is fully enforcing: plain enabled/disabled as stated; a
// custom configuration is enforcing only when every listed protection is
// enabled ("Apple Internal" is not a protection and is disabled on every
// shipping Mac); nullopt when a custom configuration lists nothing.
std::optional<bool> SipEnforcing(const SipStatus& status);

// One row: supported true (every macOS since 10.11 has SIP), source
// 'csrutil'.
v1::FactTable BuildSecureBootTable(const SipStatus& status);

}  // namespace trellis::agent::macos_facts

#endif  // TRELLIS_AGENT_FACTS_MACOS_SECURE_BOOT_PARSER_H_
