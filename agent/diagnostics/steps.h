// Steps and formatting several diagnostics share: timed name resolution and
// connect, the tunnel's live state, the last check-in, and units.
#ifndef TRELLIS_AGENT_DIAGNOSTICS_STEPS_H_
#define TRELLIS_AGENT_DIAGNOSTICS_STEPS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/diagnostics/runner.h"
#include "agent/vpn/tunnel_controller.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent::diagnostics {

// "12.3 ms"
std::string Millis(absl::Duration d);
// "1.5 GiB", "512 B"
std::string HumanBytes(uint64_t bytes);
// "2m5s ago" style age, whole seconds.
std::string Age(absl::Duration d);

// Resolves `host` (an IP address resolves to itself without a lookup),
// writing "<label>: HOST -> A, B (12.3 ms)". Errors name the host.
absl::StatusOr<std::vector<std::string>> TimedResolve(
    DiagnosticContext& context, const std::string& label,
    const std::string& host);

// Connects to each address in turn until one answers, writing a line per
// attempt; an error when none does.
absl::Status TimedConnect(DiagnosticContext& context,
                          const std::vector<std::string>& addresses, int port);

// The last check-in response the agent stored; NotFound before the first.
absl::StatusOr<v1::CheckInResponse> LoadLastCheckIn(const AgentState& state);

// The platform's tunnel controller (as `trellis-agent status` uses it),
// running its commands within the context's bounds.
std::unique_ptr<TunnelController> TunnelFor(DiagnosticContext& context);

}  // namespace trellis::agent::diagnostics

#endif  // TRELLIS_AGENT_DIAGNOSTICS_STEPS_H_
