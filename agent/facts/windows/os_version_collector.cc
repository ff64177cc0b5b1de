// os_version on Windows: Win32_OperatingSystem through PowerShell (see
// os_version_parser.h).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/facts/windows/os_version_parser.h"
#include "agent/facts/windows/powershell.h"
#include "agent/facts/windows/windows_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {
namespace {

class OsVersionCollector : public Collector {
 public:
  std::string table() const override { return "os_version"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<std::string> json =
        RunPowerShell(ctx, "Win32_OperatingSystem", kOsVersionScript);
    if (!json.ok()) {
      return facts::TableBuilder::Unknown(table(), json.status().message());
    }
    absl::StatusOr<WindowsOs> parsed = ParseWin32OperatingSystem(*json);
    if (!parsed.ok()) {
      return facts::TableBuilder::Unknown(
          table(), absl::StrCat("Win32_OperatingSystem (PowerShell): ",
                                parsed.status().message()));
    }
    return BuildOsVersionTable(*parsed);
  }
};

}  // namespace

std::unique_ptr<Collector> NewOsVersionCollector() {
  return std::make_unique<OsVersionCollector>();
}

}  // namespace trellis::agent::windows_facts
