// One check-in: collect, send with the next sequence number, record the
// outcome in agent.state.
#ifndef TRELLIS_AGENT_CHECKIN_CHECKIN_CLIENT_H_
#define TRELLIS_AGENT_CHECKIN_CHECKIN_CLIENT_H_

#include "absl/status/statusor.h"
#include "agent/facts/system_source.h"
#include "agent/state/agent_state.h"
#include "common/util/clock.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {

absl::StatusOr<v1::CheckInResponse> CheckInOnce(const AgentState& state,
                                                SystemSource& system,
                                                const Clock& clock,
                                                absl::Duration timeout);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CHECKIN_CHECKIN_CLIENT_H_
