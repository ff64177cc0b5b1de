// os_updates on macOS: `softwareupdate -l` for what is pending, and the
// AutomaticallyInstallMacOSUpdates preference for automatic installs.
#ifndef TRELLIS_AGENT_FACTS_MACOS_OS_UPDATES_PARSER_H_
#define TRELLIS_AGENT_FACTS_MACOS_OS_UPDATES_PARSER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::macos_facts {

struct AvailableUpdate {
  std::string label;                 // "macOS Sonoma 14.4.1-23E224"
  std::optional<std::string> title;  // "macOS Sonoma 14.4.1"
  bool restart_required = false;     // "Action: restart" / "[restart]"
};

// Parses `softwareupdate -l`. The tool splits its output: the progress
// lines and "No new software available." go to stderr, the list to stdout,
// so pass both (stdout, then stderr). Handles the "* Label: ... / Title:"
// format (macOS 10.15+) and the older "   * name / description" one.
// Returns an error when the output shows neither a list nor "No new
// software available." (network errors, cut-off output, another language):
// zero pending must never be inferred from silence.
absl::StatusOr<std::vector<AvailableUpdate>> ParseSoftwareUpdateList(
    absl::string_view text);

// True when the label or title names a security update ("Security Update
// 2024-001", "Rapid Security Response", "Background Security
// Improvement"). macOS point releases also carry security fixes but do not
// say so here, so they are not counted.
bool IsSecurityUpdate(const AvailableUpdate& update);

// One row: manager 'softwareupdate'. days_since_last_update is NULL: no
// command here tells when updates were last installed.
v1::FactTable BuildOsUpdatesTable(const std::vector<AvailableUpdate>& updates,
                                  std::optional<bool> automatic_updates);

}  // namespace trellis::agent::macos_facts

#endif  // TRELLIS_AGENT_FACTS_MACOS_OS_UPDATES_PARSER_H_
