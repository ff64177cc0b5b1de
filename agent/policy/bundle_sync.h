// Keeps the agent's policy bundle current: when a check-in names a newer
// version, fetch it, verify its Ed25519 signature with the key pinned at
// enrolment, refuse an older version or a tampered one (keeping the last
// good bundle), and store it for offline evaluation.
#ifndef TRELLIS_AGENT_POLICY_BUNDLE_SYNC_H_
#define TRELLIS_AGENT_POLICY_BUNDLE_SYNC_H_

#include <optional>

#include "absl/status/statusor.h"
#include "agent/state/agent_state.h"
#include "trellis/v1/device_service.grpc.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::agent {

// The held bundle, verified again on every load; nullopt when none.
absl::StatusOr<std::optional<v1::PolicyBundle>> LoadHeldBundle(
    const AgentState& state);

// Verifies `signed_bundle` and stores it if it is newer than the held one.
// FailedPrecondition for an older or equal version (rollback), and
// PermissionDenied for a bad signature; the held bundle is kept either way.
absl::StatusOr<v1::PolicyBundle> AcceptBundle(
    const AgentState& state, const v1::SignedPolicyBundle& signed_bundle);

// Fetches and accepts when `advertised_version` is newer than the held one.
// Returns the version held afterwards.
absl::StatusOr<uint64_t> SyncBundle(const AgentState& state,
                                    v1::DeviceService::StubInterface& stub,
                                    uint64_t advertised_version,
                                    absl::Duration timeout);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_POLICY_BUNDLE_SYNC_H_
