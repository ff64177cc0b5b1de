// secure_boot on Linux. No /sys/firmware/efi means legacy BIOS boot, where
// Secure Boot cannot be on: supported=false, enabled=false (a definite
// answer, not an unknown). On UEFI the SecureBoot variable in efivarfs
// answers; where efivarfs is not mounted, `mokutil --sb-state` does.
#ifndef TRELLIS_AGENT_FACTS_LINUX_SECURE_BOOT_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_SECURE_BOOT_COLLECTOR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

// The efivarfs file SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c: four
// bytes of attributes, then one byte of data, 1 = enforcing, 0 = not.
absl::StatusOr<bool> ParseSecureBootEfivar(absl::string_view data);

struct SecureBootState {
  // UEFI firmware (the schema's meaning), not "Secure Boot capable".
  bool supported = false;
  bool enabled = false;
  std::string source;  // efivars or mokutil
};

// `mokutil --sb-state` output (stdout and stderr together, since versions
// differ on where they write): "SecureBoot enabled", "SecureBoot disabled",
// "This system doesn't support Secure Boot" (UEFI without the SecureBoot
// variable: supported, not enabled). "EFI variables are not supported on
// this system" is an error: mokutil could not read them.
absl::StatusOr<SecureBootState> ParseMokutilSbState(absl::string_view text);

v1::FactTable SecureBootTable(const SecureBootState& state);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_SECURE_BOOT_COLLECTOR_H_
