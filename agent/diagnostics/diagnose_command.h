// The local commands:
//   trellis-agent diagnose NAME [--param K=V ...] [--json] [--state-dir DIR]
//   trellis-agent diagnose --list [--json]
//   trellis-agent consent grant [--for DURATION] | revoke | status
//                         [--state-dir DIR]
// `diagnose` runs through the same DiagnosticRunner the live channel uses,
// streaming output to the terminal as it comes (through TerminalSafe), so
// the help desk can ask an employee to run one over the phone.
#ifndef TRELLIS_AGENT_DIAGNOSTICS_DIAGNOSE_COMMAND_H_
#define TRELLIS_AGENT_DIAGNOSTICS_DIAGNOSE_COMMAND_H_

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/diagnostics/runner.h"

namespace trellis::agent::diagnostics {

struct DiagnoseArgs {
  bool list = false;
  bool json = false;
  std::string name;
  std::vector<std::pair<std::string, std::string>> params;
  std::string state_dir;  // empty: the default
  std::string log_level;
};

// The words after "diagnose". `--param` may repeat, so these commands parse
// their own words. Errors name the word at fault.
absl::StatusOr<DiagnoseArgs> ParseDiagnoseArgs(
    const std::vector<std::string>& words);

// The catalogue with each diagnostic's class, bounds and parameters.
std::string RenderCatalogue(const std::vector<DiagnosticSpec>& catalogue,
                            bool json);

// Runs the diagnostic with `runner`, printing output as it arrives, then
// the result. Exit code: 0 succeeded, 1 failed/timed out/cancelled,
// 3 refused.
int RunDiagnose(const DiagnoseArgs& args, DiagnosticRunner& runner,
                std::ostream& out, std::ostream& err);

struct ConsentArgs {
  std::string action;  // grant | revoke | status
  absl::Duration duration = absl::Hours(1);
  std::string state_dir;
  std::string log_level;
};

absl::StatusOr<ConsentArgs> ParseConsentArgs(
    const std::vector<std::string>& words);

// Exit code 0, or 1 with the error on `err`. `status` exits 0 when consent
// is in force and 1 when not.
int RunConsent(const ConsentArgs& args, const AgentState& state,
               const Clock& clock, std::ostream& out, std::ostream& err);

}  // namespace trellis::agent::diagnostics

#endif  // TRELLIS_AGENT_DIAGNOSTICS_DIAGNOSE_COMMAND_H_
