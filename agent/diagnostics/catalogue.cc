#include "agent/diagnostics/catalogue.h"

namespace trellis::agent::diagnostics {

const std::vector<DiagnosticSpec>& Catalogue() {
  static const auto* catalogue = new std::vector<DiagnosticSpec>{
      ServerReachability(), VpnGatewayReachability(),
      DnsResolve(),         VpnStatus(),
      RouteSummary(),       DiskSpace(),
      MemoryAndLoad(),      AgentLogTail(),
      AgentServiceStatus(), FactCollection(),
      ClockSkew(),
  };
  return *catalogue;
}

const DiagnosticSpec* FindDiagnostic(
    const std::vector<DiagnosticSpec>& catalogue, absl::string_view name) {
  for (const DiagnosticSpec& spec : catalogue) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace trellis::agent::diagnostics
