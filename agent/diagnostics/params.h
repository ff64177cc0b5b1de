// Validating a diagnostic's parameters as they arrive (text from the help
// desk or the command line). Every error names the parameter and says what
// is wrong with it; values are quoted through TerminalSafe and cut short, so
// a hostile value cannot paint the terminal or flood the message.
#ifndef TRELLIS_AGENT_DIAGNOSTICS_PARAMS_H_
#define TRELLIS_AGENT_DIAGNOSTICS_PARAMS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/diagnostics/diagnostic.h"

namespace trellis::agent::diagnostics {

// InvalidArgument for an unknown parameter, one given twice, a missing
// required one, a value of the wrong type or out of range, too long, too
// many list items, or holding a control character or invalid UTF-8.
// Defaults fill the parameters not given.
absl::StatusOr<Params> ValidateParams(
    const DiagnosticSpec& spec,
    const std::vector<std::pair<std::string, std::string>>& given);

// "k=v" as `--param` takes it; InvalidArgument without '='.
absl::StatusOr<std::pair<std::string, std::string>> SplitParam(
    const std::string& text);

}  // namespace trellis::agent::diagnostics

#endif  // TRELLIS_AGENT_DIAGNOSTICS_PARAMS_H_
