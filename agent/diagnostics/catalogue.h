// Every diagnostic the agent will run, declared once. Nothing outside this
// table can be run: the live channel and `trellis-agent diagnose` name a
// diagnostic, never a command.
#ifndef TRELLIS_AGENT_DIAGNOSTICS_CATALOGUE_H_
#define TRELLIS_AGENT_DIAGNOSTICS_CATALOGUE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "agent/diagnostics/diagnostic.h"

namespace trellis::agent::diagnostics {

const std::vector<DiagnosticSpec>& Catalogue();

// Null when `name` is not in `catalogue`.
const DiagnosticSpec* FindDiagnostic(
    const std::vector<DiagnosticSpec>& catalogue, absl::string_view name);

// One function per diagnostic, each in its own file.
DiagnosticSpec ServerReachability();
DiagnosticSpec VpnGatewayReachability();
DiagnosticSpec DnsResolve();
DiagnosticSpec VpnStatus();
DiagnosticSpec RouteSummary();
DiagnosticSpec DiskSpace();
DiagnosticSpec MemoryAndLoad();
DiagnosticSpec AgentLogTail();
DiagnosticSpec AgentServiceStatus();
DiagnosticSpec FactCollection();
DiagnosticSpec ClockSkew();

}  // namespace trellis::agent::diagnostics

#endif  // TRELLIS_AGENT_DIAGNOSTICS_CATALOGUE_H_
