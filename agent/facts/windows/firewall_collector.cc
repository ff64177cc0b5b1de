// firewall on Windows: Get-NetFirewallProfile through PowerShell (see
// firewall_parser.h).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/facts/windows/firewall_parser.h"
#include "agent/facts/windows/powershell.h"
#include "agent/facts/windows/windows_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {
namespace {

class FirewallCollector : public Collector {
 public:
  std::string table() const override { return "firewall"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<std::string> json =
        RunPowerShell(ctx, "Get-NetFirewallProfile", kFirewallScript);
    if (!json.ok()) {
      return facts::TableBuilder::Unknown(table(), json.status().message());
    }
    absl::StatusOr<std::vector<FirewallProfile>> parsed =
        ParseNetFirewallProfiles(*json);
    if (!parsed.ok()) {
      return facts::TableBuilder::Unknown(
          table(), absl::StrCat("Get-NetFirewallProfile (PowerShell): ",
                                parsed.status().message()));
    }
    return BuildFirewallTable(*parsed);
  }
};

}  // namespace

std::unique_ptr<Collector> NewFirewallCollector() {
  return std::make_unique<FirewallCollector>();
}

}  // namespace trellis::agent::windows_facts
