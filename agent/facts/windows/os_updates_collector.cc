// os_updates on Windows: the Windows Update Agent search (pending) and the
// NoAutoUpdate policy (automatic_updates; NULL when unset or unreadable).
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/facts/windows/os_updates_parser.h"
#include "agent/facts/windows/powershell.h"
#include "agent/facts/windows/windows_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {
namespace {

class OsUpdatesCollector : public Collector {
 public:
  std::string table() const override { return "os_updates"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<std::string> json =
        RunPowerShell(ctx, "Windows Update search", kPendingUpdatesScript);
    if (!json.ok()) {
      return facts::TableBuilder::Unknown(table(), json.status().message());
    }
    absl::StatusOr<std::vector<PendingUpdate>> updates =
        ParsePendingUpdates(*json);
    if (!updates.ok()) {
      return facts::TableBuilder::Unknown(
          table(), absl::StrCat("Windows Update search (PowerShell): ",
                                updates.status().message()));
    }
    return BuildOsUpdatesTable(*updates, AutomaticUpdates(ctx));
  }

 private:
  // A missing policy key makes Get-ItemProperty fail; that, like any other
  // failure here, leaves the column NULL rather than the table unknown.
  static std::optional<bool> AutomaticUpdates(CollectContext& ctx) {
    absl::StatusOr<std::string> json =
        RunPowerShell(ctx, "NoAutoUpdate policy", kNoAutoUpdateScript);
    if (!json.ok()) return std::nullopt;
    absl::StatusOr<bool> automatic = ParseNoAutoUpdate(*json);
    if (!automatic.ok()) return std::nullopt;
    return *automatic;
  }
};

}  // namespace

std::unique_ptr<Collector> NewOsUpdatesCollector() {
  return std::make_unique<OsUpdatesCollector>();
}

}  // namespace trellis::agent::windows_facts
