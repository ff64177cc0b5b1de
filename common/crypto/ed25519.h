// Ed25519 signatures over byte strings, with keys as PEM (PKCS#8 private,
// SubjectPublicKeyInfo public). Policy bundles and audit checkpoints are
// signed with it, each with its own key.
#ifndef TRELLIS_COMMON_CRYPTO_ED25519_H_
#define TRELLIS_COMMON_CRYPTO_ED25519_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::crypto {

struct Ed25519KeyPair {
  std::string private_key_pem;  // PKCS#8
  std::string public_key_pem;   // SubjectPublicKeyInfo
};

absl::StatusOr<Ed25519KeyPair> GenerateEd25519Key();

// "sha256:" + first 16 hex of SHA-256(DER public key). InvalidArgument when
// the PEM is not an Ed25519 public key.
absl::StatusOr<std::string> Ed25519KeyId(const std::string& public_key_pem);

// The public key of a private key, as PEM.
absl::StatusOr<std::string> Ed25519PublicKey(
    const std::string& private_key_pem);

// The 64-byte signature. InvalidArgument when the PEM is not an Ed25519
// private key.
absl::StatusOr<std::string> Ed25519Sign(absl::string_view message,
                                        const std::string& private_key_pem);

// OK when `signature` is `message` signed by the key; PermissionDenied when
// it is not; InvalidArgument when the PEM is not an Ed25519 public key.
absl::Status Ed25519Verify(absl::string_view message,
                           absl::string_view signature,
                           const std::string& public_key_pem);

}  // namespace trellis::crypto

#endif  // TRELLIS_COMMON_CRYPTO_ED25519_H_
