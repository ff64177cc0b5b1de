// One check-in: collect, send with the next sequence number, record the
// outcome in agent.state, and fetch a newer policy bundle if the server
// names one.
#ifndef TRELLIS_AGENT_CHECKIN_CHECKIN_CLIENT_H_
#define TRELLIS_AGENT_CHECKIN_CHECKIN_CLIENT_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/facts/device_probe.h"
#include "agent/state/agent_state.h"
#include "common/util/clock.h"
#include "grpcpp/support/status.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {

struct CheckInOptions {
  absl::Duration timeout = absl::Seconds(15);
  // Send the device's WireGuard public key (made on first use), so the
  // server assigns VPN access. Off for agents run with --no-vpn.
  bool use_vpn = true;
};

absl::StatusOr<v1::CheckInResponse> CheckInOnce(const AgentState& state,
                                                DeviceProbe& probe,
                                                const CheckInOptions& options);
absl::StatusOr<v1::CheckInResponse> CheckInOnce(const AgentState& state,
                                                DeviceProbe& probe,
                                                absl::Duration timeout);

// The error status of an RPC to the server, as "<what>: <message>" with its
// code, marked as coming from the RPC rather than from local files. gRPC
// itself only makes transport codes (UNAVAILABLE, DEADLINE_EXCEEDED, ...), so
// a PERMISSION_DENIED so marked is the server's own answer over the mutually
// authenticated channel: the only thing that may mean revoked or retired.
absl::Status ServerAnswerError(const grpc::Status& status,
                               absl::string_view what);
bool IsServerAnswer(const absl::Status& status);

// The facts this device would send now (for show-data and check).
absl::StatusOr<v1::PostureReport> CollectForCheckIn(const AgentState& state,
                                                    DeviceProbe& probe);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CHECKIN_CHECKIN_CLIENT_H_
