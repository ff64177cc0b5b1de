// os_updates on macOS: `softwareupdate -l` (pending updates) and the
// AutomaticallyInstallMacOSUpdates preference. softwareupdate asks Apple's
// servers, so it is the slowest command the agent runs here; if it
// outlives the command timeout the table is unknown rather than "0 pending".
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/facts/command_text.h"
#include "agent/facts/macos/defaults_parser.h"
#include "agent/facts/macos/macos_collectors.h"
#include "agent/facts/macos/os_updates_parser.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {
namespace {

class OsUpdatesCollector : public Collector {
 public:
  std::string table() const override { return "os_updates"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    const std::vector<std::string> argv = {"softwareupdate", "-l"};
    absl::StatusOr<CommandResult> out = RunExpectingSuccess(ctx, argv);
    if (!out.ok()) {
      return facts::TableBuilder::Unknown(table(), out.status().message());
    }
    // "No new software available." is written to stderr.
    absl::StatusOr<std::vector<AvailableUpdate>> updates =
        ParseSoftwareUpdateList(
            absl::StrCat(out->stdout_text, "\n", out->stderr_text));
    if (!updates.ok()) {
      return facts::TableBuilder::Unknown(
          table(), ParseFailureReason(argv, updates.status()));
    }
    return BuildOsUpdatesTable(*updates, AutomaticUpdates(ctx));
  }

 private:
  // NULL when the preference is not set (the behaviour then depends on the
  // macOS version and on configuration profiles, which this does not read)
  // or cannot be read.
  static std::optional<bool> AutomaticUpdates(CollectContext& ctx) {
    absl::StatusOr<CommandResult> out =
        RunCommand(ctx, {"defaults", "read",
                         "/Library/Preferences/com.apple.SoftwareUpdate",
                         "AutomaticallyInstallMacOSUpdates"});
    if (!out.ok() || out->exit_code != 0) return std::nullopt;
    absl::StatusOr<bool> value = ParseDefaultsBool(out->stdout_text);
    if (!value.ok()) return std::nullopt;
    return *value;
  }
};

}  // namespace

std::unique_ptr<Collector> NewOsUpdatesCollector() {
  return std::make_unique<OsUpdatesCollector>();
}

}  // namespace trellis::agent::macos_facts
