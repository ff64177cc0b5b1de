// The device's WireGuard key pair, made on the device the first time it is
// needed and kept in the state directory (wireguard.key, 0600, base64 as
// `wg genkey` writes it). Only the public half ever leaves the device.
#ifndef TRELLIS_AGENT_VPN_WIREGUARD_IDENTITY_H_
#define TRELLIS_AGENT_VPN_WIREGUARD_IDENTITY_H_

#include "absl/status/statusor.h"
#include "agent/state/agent_state.h"
#include "common/crypto/wireguard_key.h"

namespace trellis::agent {

// Loads wireguard.key, or makes and stores a new pair when there is none.
// A file that exists but does not hold a valid key is an error (DataLoss),
// never silently replaced: the gateway knows the device by its public key.
absl::StatusOr<crypto::WireGuardKeyPair> LoadOrCreateWireGuardKey(
    const AgentState& state);

// Loads an existing key only; NotFound when the device has none yet.
absl::StatusOr<crypto::WireGuardKeyPair> LoadWireGuardKey(
    const AgentState& state);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_WIREGUARD_IDENTITY_H_
