// WireGuard keys: Curve25519 (X25519) key pairs written the way `wg genkey`
// and `wg pubkey` write them, standard base64 of the 32 raw bytes (44
// characters with one '=' of padding). The agent makes its pair locally and
// sends only the public half; the server and the gateway validate what they
// are sent with ValidateWireGuardKey.
#ifndef TRELLIS_COMMON_CRYPTO_WIREGUARD_KEY_H_
#define TRELLIS_COMMON_CRYPTO_WIREGUARD_KEY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::crypto {

struct WireGuardKeyPair {
  std::string private_key;  // base64
  std::string public_key;   // base64
};

absl::StatusOr<WireGuardKeyPair> GenerateWireGuardKeyPair();

// The public key of a base64 private key (what `wg pubkey` prints).
absl::StatusOr<std::string> WireGuardPublicKey(absl::string_view private_key);

// InvalidArgument saying what is wrong unless `key` is the canonical base64
// of exactly 32 bytes.
absl::Status ValidateWireGuardKey(absl::string_view key);

// ValidateWireGuardKey for a peer's public key, which must also not be one
// of the low-order X25519 points (all zeros is one): every handshake with
// such a key gives the all-zero shared secret, so WireGuard never completes
// one and the tunnel would silently carry nothing.
absl::Status ValidateWireGuardPublicKey(absl::string_view key);

}  // namespace trellis::crypto

#endif  // TRELLIS_COMMON_CRYPTO_WIREGUARD_KEY_H_
