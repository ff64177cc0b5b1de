// os_version on macOS: `sw_vers`, plus `uname -m` for the architecture (a
// missing architecture leaves arch NULL rather than the table unknown).
#include <optional>
#include <string>
#include <vector>

#include "agent/facts/command_text.h"
#include "agent/facts/macos/macos_collectors.h"
#include "agent/facts/macos/os_version_parser.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {
namespace {

class OsVersionCollector : public Collector {
 public:
  std::string table() const override { return "os_version"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    const std::vector<std::string> sw_vers = {"sw_vers"};
    absl::StatusOr<CommandResult> out = RunExpectingSuccess(ctx, sw_vers);
    if (!out.ok()) {
      return facts::TableBuilder::Unknown(table(), out.status().message());
    }
    absl::StatusOr<SwVers> parsed = ParseSwVers(out->stdout_text);
    if (!parsed.ok()) {
      return facts::TableBuilder::Unknown(
          table(), ParseFailureReason(sw_vers, parsed.status()));
    }
    std::optional<std::string> arch;
    absl::StatusOr<CommandResult> uname =
        RunExpectingSuccess(ctx, {"uname", "-m"});
    if (uname.ok()) {
      absl::StatusOr<std::string> machine =
          ParseUnameMachine(uname->stdout_text);
      if (machine.ok()) arch = *machine;
    }
    return BuildOsVersionTable(*parsed, arch);
  }
};

}  // namespace

std::unique_ptr<Collector> NewOsVersionCollector() {
  return std::make_unique<OsVersionCollector>();
}

}  // namespace trellis::agent::macos_facts
