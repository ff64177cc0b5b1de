// secure_boot on Windows: Confirm-SecureBootUEFI. Unlike the other
// collectors this one reads a failed run too, since the cmdlet fails on
// purpose where Secure Boot is not supported.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/facts/windows/powershell.h"
#include "agent/facts/windows/secure_boot_parser.h"
#include "agent/facts/windows/windows_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {
namespace {

constexpr char kLabel[] = "Confirm-SecureBootUEFI (PowerShell): ";

class SecureBootCollector : public Collector {
 public:
  std::string table() const override { return "secure_boot"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<CommandResult> result = ctx.runner->Run(
        PowerShellJsonArgv(kSecureBootScript), ctx.command_timeout);
    if (!result.ok()) {
      return facts::TableBuilder::Unknown(
          table(), absl::StrCat(kLabel, result.status().message()));
    }
    absl::StatusOr<SecureBootState> state = ParseConfirmSecureBootUefi(*result);
    if (!state.ok()) {
      return facts::TableBuilder::Unknown(
          table(), absl::StrCat(kLabel, state.status().message()));
    }
    return BuildSecureBootTable(*state);
  }
};

}  // namespace

std::unique_ptr<Collector> NewSecureBootCollector() {
  return std::make_unique<SecureBootCollector>();
}

}  // namespace trellis::agent::windows_facts
