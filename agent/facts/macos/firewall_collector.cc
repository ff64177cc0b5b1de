// firewall on macOS: the Application Firewall (socketfilterfw), the one
// System Settings controls. pf is not read: out of the box it carries only
// Apple's anchors and nothing in the UI manages it.
#include <string>
#include <vector>

#include "agent/facts/command_text.h"
#include "agent/facts/macos/firewall_parser.h"
#include "agent/facts/macos/macos_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {
namespace {

class FirewallCollector : public Collector {
 public:
  std::string table() const override { return "firewall"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    const std::vector<std::string> argv = {
        "/usr/libexec/ApplicationFirewall/socketfilterfw", "--getglobalstate"};
    absl::StatusOr<CommandResult> out = RunExpectingSuccess(ctx, argv);
    if (!out.ok()) {
      return facts::TableBuilder::Unknown(table(), out.status().message());
    }
    absl::StatusOr<AppFirewallState> state =
        ParseSocketFilterFwGlobalState(out->stdout_text);
    if (!state.ok()) {
      return facts::TableBuilder::Unknown(
          table(), ParseFailureReason(argv, state.status()));
    }
    return BuildFirewallTable(*state);
  }
};

}  // namespace

std::unique_ptr<Collector> NewFirewallCollector() {
  return std::make_unique<FirewallCollector>();
}

}  // namespace trellis::agent::macos_facts
