// disk_encryption on Windows: Get-BitLockerVolume through PowerShell (see
// disk_encryption_parser.h).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/facts/windows/disk_encryption_parser.h"
#include "agent/facts/windows/powershell.h"
#include "agent/facts/windows/windows_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {
namespace {

class DiskEncryptionCollector : public Collector {
 public:
  std::string table() const override { return "disk_encryption"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<std::string> json =
        RunPowerShell(ctx, "Get-BitLockerVolume", kBitLockerScript);
    if (!json.ok()) {
      return facts::TableBuilder::Unknown(table(), json.status().message());
    }
    absl::StatusOr<std::vector<BitLockerVolume>> parsed =
        ParseBitLockerVolumes(*json);
    if (!parsed.ok()) {
      return facts::TableBuilder::Unknown(
          table(), absl::StrCat("Get-BitLockerVolume (PowerShell): ",
                                parsed.status().message()));
    }
    return BuildDiskEncryptionTable(*parsed);
  }
};

}  // namespace

std::unique_ptr<Collector> NewDiskEncryptionCollector() {
  return std::make_unique<DiskEncryptionCollector>();
}

}  // namespace trellis::agent::windows_facts
