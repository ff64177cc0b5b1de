// secure_boot on macOS: System Integrity Protection via `csrutil status`
// (see secure_boot_parser.h for why SIP stands in for Secure Boot here).
#include <string>
#include <vector>

#include "agent/facts/command_text.h"
#include "agent/facts/macos/macos_collectors.h"
#include "agent/facts/macos/secure_boot_parser.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {
namespace {

class SecureBootCollector : public Collector {
 public:
  std::string table() const override { return "secure_boot"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    const std::vector<std::string> argv = {"csrutil", "status"};
    absl::StatusOr<CommandResult> out = RunExpectingSuccess(ctx, argv);
    if (!out.ok()) {
      return facts::TableBuilder::Unknown(table(), out.status().message());
    }
    absl::StatusOr<SipStatus> status = ParseCsrutilStatus(out->stdout_text);
    if (!status.ok()) {
      return facts::TableBuilder::Unknown(
          table(), ParseFailureReason(argv, status.status()));
    }
    return BuildSecureBootTable(*status);
  }
};

}  // namespace

std::unique_ptr<Collector> NewSecureBootCollector() {
  return std::make_unique<SecureBootCollector>();
}

}  // namespace trellis::agent::macos_facts
