// disk_encryption on macOS: `fdesetup status`, which any user may run.
#include <string>
#include <vector>

#include "agent/facts/command_text.h"
#include "agent/facts/macos/disk_encryption_parser.h"
#include "agent/facts/macos/macos_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {
namespace {

class DiskEncryptionCollector : public Collector {
 public:
  std::string table() const override { return "disk_encryption"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    const std::vector<std::string> argv = {"fdesetup", "status"};
    absl::StatusOr<CommandResult> out = RunExpectingSuccess(ctx, argv);
    if (!out.ok()) {
      return facts::TableBuilder::Unknown(table(), out.status().message());
    }
    absl::StatusOr<FileVaultStatus> status =
        ParseFdesetupStatus(out->stdout_text);
    if (!status.ok()) {
      return facts::TableBuilder::Unknown(
          table(), ParseFailureReason(argv, status.status()));
    }
    return BuildDiskEncryptionTable(*status);
  }
};

}  // namespace

std::unique_ptr<Collector> NewDiskEncryptionCollector() {
  return std::make_unique<DiskEncryptionCollector>();
}

}  // namespace trellis::agent::macos_facts
